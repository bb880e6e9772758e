"""What a user's roles reach: computed once per request from two small queries, then used as filters.

Subtree grants (district, street, community) become equality filters on the denormalised ancestor columns.
Grants on single compounds (commissioner, committee member, a firm under contract) are django-guardian object
permissions and enter the filters as one subquery; nothing loops over objects.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from communities.models import (
    CompoundGroupObjectPermission,
    CompoundUserObjectPermission,
    Residency,
    Role,
    RoleAssignment,
)

COMPOUND_PERMISSION = "access_compound"
_CACHE_ATTR = "_sanfang_scope"


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_superuser: bool = False
    tenants: frozenset = frozenset()  # districts the user belongs to
    districts: frozenset = frozenset()  # whole subtrees
    streets: frozenset = frozenset()
    communities: frozenset = frozenset()
    departments: frozenset = frozenset()
    firms: frozenset = frozenset()
    has_compound_grants: bool = False
    is_resident: bool = False
    assignments: tuple = field(default=(), compare=False)
    residencies: tuple = field(default=(), compare=False)

    @property
    def roles(self) -> frozenset:
        roles = {a.role for a in self.assignments}
        if self.is_resident:
            roles.add(Role.RESIDENT)
        return frozenset(roles)

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or bool(self.assignments)

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    # --- the subqueries for single-compound grants --------------------------------------------------------
    def granted_compounds(self) -> tuple[QuerySet, QuerySet]:
        """Ids of compounds granted to the user, and to the user's groups (guardian object permissions)."""
        by_user = CompoundUserObjectPermission.objects.filter(
            user_id=self.user_id, permission__codename=COMPOUND_PERMISSION
        ).values("content_object_id")
        by_group = CompoundGroupObjectPermission.objects.filter(
            group__user=self.user_id, permission__codename=COMPOUND_PERMISSION
        ).values("content_object_id")
        return by_user, by_group

    def own_households(self) -> QuerySet:
        return Residency.objects.filter(person__user_id=self.user_id).values("household_id")

    def own_compounds(self) -> QuerySet:
        return Residency.objects.filter(person__user_id=self.user_id).values("household__compound_id")

    # --- filters ------------------------------------------------------------------------------------------
    def subtree_q(self, compound_field: str = "compound") -> Q:
        """Rows under the user's subtree grants or in a granted compound; `compound_field` names the compound
        column of the model (``pk`` for Compound itself)."""
        q = Q(pk__in=[])
        if self.districts:
            q |= Q(district_id__in=self.districts)
        if self.streets:
            q |= Q(street_id__in=self.streets)
        if self.communities:
            q |= Q(community_id__in=self.communities)
        if self.has_compound_grants:
            q |= self.granted_q(compound_field)
        return q

    def granted_q(self, compound_field: str = "compound") -> Q:
        by_user, by_group = self.granted_compounds()
        return Q(**{f"{compound_field}__in": by_user}) | Q(**{f"{compound_field}__in": by_group})

    def tenant_q(self, district_field: str = "district_id") -> Q:
        return Q(**{f"{district_field}__in": self.tenants})


ANONYMOUS = Scope(user_id=None)


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        from communities.models import District

        scope = Scope(
            user_id=user.pk, is_superuser=True, tenants=frozenset(District.objects.values_list("pk", flat=True))
        )
        scope = Scope(**{**scope.__dict__, "districts": scope.tenants})
    else:
        assignments = tuple(
            RoleAssignment.objects.filter(user_id=user.pk, user__is_active=True).select_related(
                "district", "street", "community", "compound", "firm", "department"
            )
        )
        residencies = tuple(
            Residency.objects.filter(person__user_id=user.pk).select_related("household__building__compound")
        )
        by_field: dict[str, set] = {"district": set(), "street": set(), "community": set(), "department": set()}
        firms = set()
        for a in assignments:
            if a.scope_field in by_field:
                by_field[a.scope_field].add(getattr(a, f"{a.scope_field}_id"))
            if a.scope_field == "firm":
                firms.add(a.firm_id)
        tenants = {a.district_id for a in assignments} | {r.household.district_id for r in residencies}
        scope = Scope(
            user_id=user.pk,
            tenants=frozenset(tenants),
            districts=frozenset(by_field["district"]),
            streets=frozenset(by_field["street"]),
            communities=frozenset(by_field["community"]),
            departments=frozenset(by_field["department"]),
            firms=frozenset(firms),
            has_compound_grants=any(
                a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER, Role.FIRM_STAFF) for a in assignments
            ),
            is_resident=bool(residencies),
            assignments=assignments,
            residencies=residencies,
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drops the cached scope after the user's roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
