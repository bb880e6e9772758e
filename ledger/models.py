# Maintenance funds, operating income and fees are built on the foundation in a later issue.
