"""The one place rankings tells people something, through the bottom-layer notifications app."""

from django.db.models import Q

from communities.models import Role, RoleAssignment
from notifications.services import notify as send


def notify(user_ids, *, subject: str, body: str = "", target=None) -> None:
    if not user_ids:
        return
    send(sorted(set(user_ids)), subject=subject, body=body, target=target)


def compound_parties(compound) -> list[int]:
    """The owners' committee of the compound, its community office and its street office."""
    return list(RoleAssignment.objects.filter(
        Q(role=Role.COMMITTEE_MEMBER, compound_id=compound.pk)
        | Q(role=Role.COMMUNITY_OFFICE, community_id=compound.community_id)
        | Q(role=Role.STREET_OFFICE, street_id=compound.street_id),
        user__is_active=True,
    ).values_list("user_id", flat=True))


def firm_staff(firm_id: int) -> list[int]:
    return list(RoleAssignment.objects.filter(role=Role.FIRM_STAFF, firm_id=firm_id, user__is_active=True)
                .values_list("user_id", flat=True))
