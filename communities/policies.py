"""Policies of the hierarchy, the people and the roles."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from communities.models import (
    Building,
    Community,
    Compound,
    Department,
    District,
    Household,
    Person,
    PersonalDataAccess,
    Residency,
    Role,
    RoleAssignment,
    Street,
)
from communities.policy import Policy, node_ids
from communities.scope import Scope, reach_q, scope_for

OFFICE_ROLES = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE})


def _pointed_compounds_q(scope: Scope, field: str = "pk") -> Q:
    """Compounds reached by a single-compound grant or by living there."""
    return Q(**{f"{field}__in": scope.granted_compounds | scope.own_compound_ids})


class DistrictPolicy(Policy):
    model = District

    def visible_q(self, scope):
        return Q(pk__in=scope.tenants)


class StreetPolicy(Policy):
    model = Street
    editor_roles = frozenset({Role.DISTRICT_ORG})

    def visible_q(self, scope):
        pointed = Compound.objects.filter(_pointed_compounds_q(scope)).values("street_id")
        q = Q(district_id__in=scope.districts) | Q(pk__in=scope.streets) | Q(pk__in=pointed)
        if scope.communities:
            q |= Q(pk__in=Community.objects.filter(pk__in=scope.communities).values("street_id"))
        return q & scope.tenant_q()


class CommunityPolicy(Policy):
    model = Community
    editor_roles = frozenset({Role.DISTRICT_ORG, Role.STREET_OFFICE})

    def visible_q(self, scope):
        pointed = Compound.objects.filter(_pointed_compounds_q(scope)).values("community_id")
        q = (
            Q(district_id__in=scope.districts) | Q(street_id__in=scope.streets)
            | Q(pk__in=scope.communities) | Q(pk__in=pointed)
        )
        return q & scope.tenant_q()


class CompoundPolicy(Policy):
    model = Compound
    editor_roles = OFFICE_ROLES

    def visible_q(self, scope):
        # subtree_q holds the granted compounds already; residents add their own.
        return (scope.subtree_q("pk") | Q(pk__in=scope.own_compound_ids)) & scope.tenant_q()

    def sees(self, scope, compound: Compound) -> bool:
        """`visible_q` asked of a compound whose place ids are loaded, without a query (tested equal to it):
        for the hot paths that read the compound anyway, e.g. recording a petition."""
        if scope.is_superuser:
            return True
        return compound.district_id in scope.tenants and (
            scope.reaches(district_id=compound.district_id, street_id=compound.street_id,
                          community_id=compound.community_id, compound_id=compound.pk)
            or compound.pk in scope.own_compound_ids
        )


class BuildingPolicy(Policy):
    model = Building
    editor_roles = OFFICE_ROLES

    def visible_q(self, scope):
        # A resident sees the buildings of their own compound (to say where a problem is), nothing more.
        return (scope.subtree_q() | _pointed_compounds_q(scope, "compound")) & scope.tenant_q()


class HouseholdPolicy(Policy):
    model = Household
    editor_roles = OFFICE_ROLES

    def visible_q(self, scope):
        q = scope.subtree_q()
        if scope.is_resident:
            q |= Q(pk__in=scope.own_household_ids)
        return q & scope.tenant_q()


class PersonPolicy(Policy):
    """People are seen by the staff whose subtree holds their registered community or one of their homes."""

    model = Person
    editor_roles = frozenset(OFFICE_ROLES | {Role.COMMISSIONER})

    def visible_q(self, scope):
        in_scope = Residency.objects.filter(
            household__in=Household.objects.filter(scope.subtree_q()).values("pk")
        ).values("person_id")
        q = (
            Q(district_id__in=scope.districts)
            | Q(community__street_id__in=scope.streets)
            | Q(community_id__in=scope.communities)
            | Q(pk__in=in_scope)
        )
        if scope.user_id:
            q |= Q(user_id=scope.user_id)
        return q & scope.tenant_q()

    def place(self, obj):
        place = {"district": obj.district_id}
        if obj.community_id:
            place.update(node_ids(obj.community))
        return place

    def editing_assignments(self, scope, action):
        if action == "reveal":
            # Whole phone and ID numbers: the community office and the commissioner, for their residents.
            return [a for a in scope.assignments if a.role in (Role.COMMUNITY_OFFICE, Role.COMMISSIONER)]
        return super().editing_assignments(scope, action)

    def can(self, user, action, obj=None):
        if super().can(user, action, obj):
            return True
        if obj is None or action not in ("change", "reveal"):
            return False
        # Staff also reach the people who live in their subtree or in a compound granted to them.
        scope = scope_for(user)
        assignments = self.editing_assignments(scope, action)
        if not assignments:
            return False
        homes = Household.objects.filter(pk__in=Residency.objects.filter(person=obj).values("household_id"))
        return homes.filter(reach_q(assignments)).exists()


class ResidencyPolicy(Policy):
    model = Residency
    editor_roles = frozenset(OFFICE_ROLES | {Role.COMMISSIONER})

    def visible_q(self, scope):
        q = Q(household__in=Household.objects.filter(scope.subtree_q()).values("pk"))
        if scope.user_id:
            q |= Q(person__user_id=scope.user_id)
        return q & Q(household__district_id__in=scope.tenants)

    def place(self, obj):
        return node_ids(obj.household)


class DepartmentPolicy(Policy):
    model = Department
    editor_roles = frozenset({Role.DISTRICT_ORG})

    def visible_q(self, scope):
        return scope.tenant_q()


# Which roles each role may grant, and so see and change in the role table.
GRANTABLE_ROLES = {
    Role.DISTRICT_ORG: frozenset(set(Role) - {Role.RESIDENT}),
    Role.DISTRICT_CENTER: frozenset({Role.FIRM_STAFF}),
    Role.STREET_OFFICE: frozenset({Role.COMMUNITY_OFFICE, Role.COMMISSIONER, Role.COMMITTEE_MEMBER}),
    Role.COMMUNITY_OFFICE: frozenset({Role.COMMISSIONER, Role.COMMITTEE_MEMBER}),
}


class RoleAssignmentPolicy(Policy):
    model = RoleAssignment
    editor_roles = frozenset(GRANTABLE_ROLES)

    def visible_q(self, scope):
        q = Q(user_id=scope.user_id)
        for a in scope.assignments:
            grantable = GRANTABLE_ROLES.get(a.role)
            if not grantable:
                continue
            where = {"district": Q(district_id=a.district_id)}.get(a.scope_field)
            if a.scope_field == "street":
                where = (
                    Q(street_id=a.street_id) | Q(community__street_id=a.street_id)
                    | Q(compound__street_id=a.street_id)
                )
            elif a.scope_field == "community":
                where = Q(community_id=a.community_id) | Q(compound__community_id=a.community_id)
            q |= Q(role__in=grantable) & where
        return q & scope.tenant_q()

    def place(self, obj):
        node = obj.scope_node
        place = node_ids(node) if hasattr(node, "level") else {}
        place["district"] = obj.district_id
        return place

    def can(self, user, action, obj=None):
        scope = scope_for(user)
        if scope.is_superuser:
            return True
        if action == "view":
            return super().can(user, action, obj)
        if obj is None:
            return bool(self.editing_assignments(scope, action))
        reaching = scope.reaching(self.place(obj), among=self.editing_assignments(scope, action))
        return any(obj.role in GRANTABLE_ROLES[a.role] for a in reaching)


class PersonalDataAccessPolicy(Policy):
    """The reveal log is read by the district organization department (and each actor's own entries)."""

    model = PersonalDataAccess

    def visible_q(self, scope):
        return (Q(district_id__in=scope.districts) | Q(actor_id=scope.user_id)) & Q(district_id__in=scope.tenants)

    def can(self, user, action, obj=None):
        # The log is append-only: nobody adds, changes or deletes entries by hand.
        return action == "view" and super().can(user, action, obj)


district_policy = DistrictPolicy()
street_policy = StreetPolicy()
community_policy = CommunityPolicy()
compound_policy = CompoundPolicy()
building_policy = BuildingPolicy()
household_policy = HouseholdPolicy()
person_policy = PersonPolicy()
residency_policy = ResidencyPolicy()
department_policy = DepartmentPolicy()
role_assignment_policy = RoleAssignmentPolicy()
personal_data_access_policy = PersonalDataAccessPolicy()


class UserPolicy(Policy):
    """User accounts are seen by staff through the people and roles they see; changed by platform admins."""

    def __init__(self):
        self.model = get_user_model()

    def visible_q(self, scope):
        people = Person.objects.filter(person_policy.visible_q(scope)).values("user_id")
        roles = RoleAssignment.objects.filter(role_assignment_policy.visible_q(scope)).values("user_id")
        return Q(pk__in=people) | Q(pk__in=roles) | Q(pk=scope.user_id)

    def can(self, user, action, obj=None):
        return action == "view" and super().can(user, action, obj) or scope_for(user).is_superuser


user_policy = UserPolicy()
