from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Party organizations and owners' committees")

    def ready(self):
        from governance.models import Body, Vote, WorkRequest
        from notifications import links

        # Staff open the admin page; residents the portal's, where there is one (a vote of their compound).
        links.register("governance.work_request", WorkRequest, staff="admin:governance_workrequest_change")
        links.register("governance.body", Body, staff="admin:governance_body_change")
        links.register("governance.vote", Vote, staff="admin:governance_vote_change", resident="portal:vote")
