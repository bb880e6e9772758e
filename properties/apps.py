from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CONTRACT_NOTICE = "properties.contract"


class PropertiesConfig(AppConfig):
    name = "properties"
    verbose_name = _("Property firms")

    def ready(self):
        from notifications import links
        from properties.models import Contract

        # An expiry reminder opens the contract in the admin; residents are not told of contracts.
        links.register(CONTRACT_NOTICE, Contract, staff="admin:properties_contract_change")
