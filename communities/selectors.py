"""Reads that take more than one filter: who the user is, what their compound looks like."""

from django.db.models import Prefetch, prefetch_related_objects

from communities.models import District, Person, Residency, Role, RoleAssignment
from communities.scope import scope_for


def me(user) -> dict:
    """The user, their roles and the node each is held at (residents: each household they are bound to)."""
    scope = scope_for(user)
    # The scope holds plain rows; the names of the nodes are loaded here, where they are shown.
    prefetch_related_objects(list(scope.assignments), Prefetch("district", District.objects.all()), "street",
                             "community", "compound", "firm", "department")  # the districts without their boundary
    prefetch_related_objects(list(scope.residencies), "household__building__compound")
    roles = []
    for a in scope.assignments:
        node = a.scope_node
        roles.append({
            "role": a.role, "role_display": a.get_role_display(), "district": a.district_id,
            "scope": {"type": a.scope_field, "id": node.pk, "name": str(node)},
        })
    for r in scope.residencies:
        roles.append({
            "role": Role.RESIDENT, "role_display": f"{Role.RESIDENT.label}（{r.get_relation_display()}）",
            "district": r.household.district_id,
            "scope": {"type": "household", "id": r.household_id, "name": str(r.household)},
        })
    person = Person.objects.filter(user=user).only("name").first()
    return {
        "id": user.pk, "username": user.get_username(),
        "name": person.name if person else (user.get_full_name() or user.get_username()),
        "roles": roles,
    }


def my_residencies(user):
    """The user's households with their building, compound, community and street, in one query."""
    return (
        Residency.objects.filter(person__user=user)
        .select_related("household__building", "household__compound", "household__community",
                        "household__street", "household__district")
        .order_by("household__compound_id", "household_id")
    )


def users_with_role(role: str, **node) -> list[int]:
    """Ids of active users holding `role` at the node given as e.g. community_id=…"""
    return list(
        RoleAssignment.objects.filter(role=role, user__is_active=True, **node).values_list("user_id", flat=True)
    )
