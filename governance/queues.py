"""The governance queues of the admin home's workbench — department work requests waiting for the street office,
term reminders still open — one definition each, used by the admin list's filter and by the count."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.scope import scope_for
from governance.models import WorkRequest
from governance.policies import term_reminder_policy, work_request_policy

WORK_REQUESTS_WAITING = _("Department work requests waiting")
TERM_REMINDERS_OPEN = _("Term reminders")
WORK_REQUEST_ROLES = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE,
                                Role.DEPARTMENT_STAFF})
TERM_REMINDER_ROLES = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE,
                                 Role.COMMISSIONER, Role.COMMITTEE_MEMBER})

WAITING_Q = Q(status=WorkRequest.Status.PENDING)
# A reminder is open while its body still has the term it reminds of: a re-election sets a new end date.
OPEN_REMINDER_Q = Q(term_ends_on=F("body__term_ends_on"))


def _wants(user, roles) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or scope.has_role(*roles)


def work_requests_waiting(user) -> int | None:
    """How many visible work requests wait for the street office; None when it is not the user's queue."""
    if not _wants(user, WORK_REQUEST_ROLES):
        return None
    return work_request_policy.visible(user).filter(WAITING_Q).count()


def term_reminders_open(user) -> int | None:
    """How many visible term reminders are still open; None when it is not the user's queue."""
    if not _wants(user, TERM_REMINDER_ROLES):
        return None
    return term_reminder_policy.visible(user).filter(OPEN_REMINDER_Q).count()
