from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The notices' kind of a petition, stored in each notice (and written by the create's SQL): never rename it.
PETITION_NOTICE = "petition"


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Complaints and requests")

    def ready(self):
        from notifications import links
        from petitions.models import Petition

        links.register(PETITION_NOTICE, Petition, staff="admin:petitions_petition_change", resident="portal:petition")
