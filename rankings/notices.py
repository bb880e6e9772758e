"""Who is told when a firm's contract or exit case changes (the notice itself is
`notifications.services.notify`, written in the caller's transaction and sent after commit)."""

from django.db.models import Q

from communities.models import Role, RoleAssignment


def compound_parties(compound) -> list[int]:
    """The owners' committee of the compound, its community office and its street office (one query)."""
    return list(RoleAssignment.objects.filter(
        Q(role=Role.COMMITTEE_MEMBER, compound_id=compound.pk)
        | Q(role=Role.COMMUNITY_OFFICE, community_id=compound.community_id)
        | Q(role=Role.STREET_OFFICE, street_id=compound.street_id),
        user__is_active=True,
    ).values_list("user_id", flat=True))
