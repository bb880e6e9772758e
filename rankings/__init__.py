"""Firm and committee rankings (a later issue). Its place in the layers is fixed now (pyproject.toml, import
contracts): it may read petitions, ledger and everything below, and nothing above it reads it but the portal
and the dashboards."""
