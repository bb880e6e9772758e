"""The staff work queues of petitions — new, overdue, due within 24 hours, waiting for a rating, whistles waiting
for an answer — as one definition each, used by the admin list's "queue" filter and by the counts of the admin
home's workbench, so a count and the list it links to are the same rows."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.scope import scope_for
from petitions.models import HANDLER_TURN_STATES, OPEN_STATES, Status, Whistle
from petitions.policies import petition_policy

DUE_SOON = datetime.timedelta(hours=24)

QUEUES = {
    "new": _("New, waiting to be accepted"),
    "overdue": _("Overdue"),
    "due_soon": _("Due within 24 hours"),
    "rating": _("Waiting for the resident's rating"),
    "whistled": _("Whistles waiting for an answer"),
}
# The roles whose work a queue is; a user sees the queues of any of their roles (the superuser all of them).
_HANDLING = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE,
                       Role.COMMISSIONER, Role.COMMITTEE_MEMBER, Role.FIRM_STAFF, Role.DEPARTMENT_STAFF})
QUEUE_ROLES = {
    "new": _HANDLING, "overdue": _HANDLING, "due_soon": _HANDLING, "rating": _HANDLING,
    "whistled": frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.DEPARTMENT_STAFF}),
}


def queue_q(key: str, user, now=None) -> Q:
    """The filter of one queue, over the petitions the user sees."""
    now = now or timezone.now()
    if key == "new":
        return Q(status__in=[Status.SUBMITTED, Status.TRANSFERRED])
    if key == "overdue":
        return Q(status__in=HANDLER_TURN_STATES, deadline__lt=now)
    if key == "due_soon":
        return Q(status__in=HANDLER_TURN_STATES, deadline__gte=now, deadline__lt=now + DUE_SOON)
    if key == "rating":
        return Q(status=Status.RESOLVED)
    if key == "whistled":
        calls = Whistle.objects.filter(answered_at__isnull=True)
        departments = scope_for(user).departments
        if departments:  # a department's staff wait on their own department's calls, not on the others'
            calls = calls.filter(department_id__in=departments)
        return Q(status__in=OPEN_STATES, pk__in=calls.values("petition_id"))
    raise KeyError(key)


def queues_for(user) -> list[str]:
    scope = scope_for(user)
    return [key for key, roles in QUEUE_ROLES.items() if scope.is_superuser or scope.has_role(*roles)]


def queue_counts(user, now=None) -> dict[str, int]:
    """{queue: count} of the user's queues, in one query whatever the number of petitions. Every queue holds open
    petitions only, so the count reads the open ones (a few percent of a district's rows, the partial index
    `petition_open_deadline` covers them), not the years of closed ones."""
    keys = queues_for(user)
    if not keys:
        return {}
    now = now or timezone.now()
    return petition_policy.visible(user).filter(status__in=OPEN_STATES).aggregate(
        **{key: Count("pk", filter=queue_q(key, user, now)) for key in keys})
