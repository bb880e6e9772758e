from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = _("Firm ratings")

    def ready(self):
        from django.utils import timezone

        from properties.choices import register_firm_ordering
        from rankings import selectors

        register_firm_ordering(lambda firms: selectors.prioritised(firms, year=timezone.localdate().year))
