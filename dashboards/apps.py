"""Dashboards for the district and street offices. In the top layer with the portal (pyproject.toml, import
contracts): it may read every app, and no app reads it."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from dashboards import targets

        # The campaign's measures read every app; governance's targets_progress asks them through its registry.
        targets.register()
