from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EXIT_CASE_NOTICE = "rankings.exit_case"


class RankingsConfig(AppConfig):
    name = "rankings"
    verbose_name = _("Firm ratings")

    def ready(self):
        from django.urls import reverse
        from django.utils import timezone

        from notifications import links
        from properties.choices import register_firm_ordering
        from rankings import selectors
        from rankings.models import ExitCase

        register_firm_ordering(lambda firms: selectors.prioritised(firms, year=timezone.localdate().year))
        # A two-strike or takeover notice opens the exit case for staff; a resident reads the firm's record.
        links.register(EXIT_CASE_NOTICE, ExitCase, staff="admin:rankings_exitcase_change",
                       resident=lambda pk: reverse("portal:firm"))
