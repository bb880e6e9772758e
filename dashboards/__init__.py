"""Dashboards for the district and street offices (a later issue). In the top layer with the portal (pyproject.toml,
import contracts): it may read every app, and no app reads it."""
