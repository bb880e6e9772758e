from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FUND_APPLICATION_NOTICE = "ledger.fund_application"


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Funds and accounts")

    def ready(self):
        from django.urls import reverse

        from ledger.models import FundApplication
        from notifications import links

        # Staff open the application in the admin; an owner reads its review trail on the finance page.
        links.register(FUND_APPLICATION_NOTICE, FundApplication, staff="admin:ledger_fundapplication_change",
                       resident=lambda pk: reverse("portal:finance"))
