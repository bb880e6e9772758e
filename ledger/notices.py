"""Every "tell someone" of the ledger goes through here, after the commit, to the bottom-layer notifications app
(`notifications.services.notify(user_ids, *, subject, body, target)`); a fund application is a registered target
(ledger/apps.py), so its notice opens it."""

from django.db import transaction

from communities.models import Role, RoleAssignment
from notifications.services import notify


def tell(user_ids, *, subject: str, body: str = "", target=None) -> None:
    """Sends one notice to the users once the current transaction commits."""
    ids = sorted({uid for uid in user_ids if uid})
    if not ids:
        return
    transaction.on_commit(lambda: notify(ids, subject=str(subject), body=str(body), target=target))


def staff_of(role: str, **place) -> list[int]:
    """The active users holding `role` at a place, e.g. staff_of(Role.STREET_OFFICE, street_id=3)."""
    return list(RoleAssignment.objects.filter(role=role, user__is_active=True, **place)
                .values_list("user_id", flat=True))


def reviewers_of(application, level: str) -> list[int]:
    """Who reviews `application` at `level` (community, street, center)."""
    if level == "community":
        return staff_of(Role.COMMUNITY_OFFICE, community_id=application.community_id)
    if level == "street":
        return staff_of(Role.STREET_OFFICE, street_id=application.street_id)
    return staff_of(Role.DISTRICT_CENTER, district_id=application.district_id)
