# The complaint closed loop is built on the foundation in a later issue.
