"""What a user's roles reach: computed once per request from small queries, then used as filters.

Subtree grants (district, street, community) become equality filters on the denormalised ancestor columns.
Grants on single compounds (commissioner, committee member, a firm under contract) are django-guardian object
permissions, read in one query (for the roles that have them) and used as an id list; nothing loops over
objects.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Q

from communities.models import (
    Compound,
    CompoundGroupObjectPermission,
    CompoundUserObjectPermission,
    District,
    Household,
    Residency,
    Role,
    RoleAssignment,
)
from core import db as sql

COMPOUND_PERMISSION = "access_compound"
# The levels of a place that role assignments are held at (a building or a household is reached through these).
PLACE_LEVELS = ("district", "street", "community", "compound")
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
    granted_compounds: frozenset = frozenset()  # compounds granted by guardian object permissions
    personal_compounds: frozenset = frozenset()  # those granted to the user, not through a firm's group
    firm_compounds: frozenset = frozenset()  # those granted to a firm's group: its active contracts
    is_resident: bool = False
    assignments: tuple = field(default=(), compare=False)
    residencies: tuple = field(default=(), compare=False)
    # For the cached list pages (communities.listcache), read only when a list asks (`scope_for(user,
    # list_versions=True)`), in the same statement when it is the first to ask: table name -> the database's
    # identity and the table's current version, e.g. {"compound": "16384:42"}. None when not read; empty where
    # nothing is cached.
    list_versions: Mapping | None = field(default=None, compare=False)

    @property
    def roles(self) -> frozenset:
        roles = {a.role for a in self.assignments}
        if self.is_resident:
            roles.add(Role.RESIDENT)
        return frozenset(roles)

    @property
    def has_compound_grants(self) -> bool:
        return bool(self.granted_compounds)

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or bool(self.assignments)

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    # --- filters ------------------------------------------------------------------------------------------
    @property
    def own_household_ids(self) -> frozenset:
        return frozenset(r.household_id for r in self.residencies)

    @property
    def own_compound_ids(self) -> frozenset:
        return frozenset(r.household.compound_id for r in self.residencies)

    def offices_q(self) -> Q:
        """Rows under the user's subtree grants (district, street, community), by the denormalised ancestor
        columns; compound grants are not in it (see `subtree_q`)."""
        q = Q(pk__in=[])
        if self.districts:
            q |= Q(district_id__in=self.districts)
        if self.streets:
            q |= Q(street_id__in=self.streets)
        if self.communities:
            q |= Q(community_id__in=self.communities)
        return q

    def subtree_q(self, compound_field: str = "compound") -> Q:
        """Rows under the user's subtree grants or in a granted compound; `compound_field` names the compound
        column of the model (``pk`` for Compound itself)."""
        q = self.offices_q()
        if self.granted_compounds:
            q |= self.granted_q(compound_field)
        return q

    def reaches(self, *, district_id, street_id, community_id, compound_id) -> bool:
        """`subtree_q` asked of one place whose ids are at hand, without a query (tested equal to it): what the
        whole scope reaches, guardian grants included; `reaching` asks it of each role assignment."""
        return (district_id in self.districts or street_id in self.streets or community_id in self.communities
                or compound_id in self.granted_compounds)

    def reaching(self, place: Mapping, *, roles=None, among=None) -> list:
        """The role assignments that reach a place, by `assignment_reaches`: the user's with one of `roles`, or
        those of `among` (e.g. a policy's editing assignments)."""
        assignments = self.assignments if among is None else among
        return [a for a in assignments if (roles is None or a.role in roles) and assignment_reaches(a, place)]

    def granted_q(self, compound_field: str = "compound") -> Q:
        return Q(**{f"{compound_field}__in": self.granted_compounds})

    def tenant_q(self, district_field: str = "district_id") -> Q:
        return Q(**{f"{district_field}__in": self.tenants})


ANONYMOUS = Scope(user_id=None)


def assignment_reaches(assignment, place: Mapping) -> bool:
    """The one test of whether a role assignment reaches a place: the node it is held at is the place's node or
    one of its ancestors. `place` maps levels to node ids, e.g. {"district": 1, "street": 4, "community": 9}
    (`communities.policy.node_ids`); a firm or a department is no level of the hierarchy, so it reaches only a
    place that names it (a firm's own records). Whom a firm serves is its contracts', not a reach
    (`properties.selectors.firm_serves`)."""
    node = getattr(assignment, f"{assignment.scope_field}_id")
    return node is not None and place.get(assignment.scope_field) == node


def reach_q(assignments) -> Q:
    """`assignment_reaches` as a filter: the rows, by their denormalised ancestor columns, that any of the
    assignments reaches (tested equal to it)."""
    q = Q(pk__in=[])
    for a in assignments:
        q |= Q(**{f"{a.scope_field}_id": getattr(a, f"{a.scope_field}_id")})
    return q


def scope_for(user, *, list_versions: bool = False) -> Scope:
    """The user's scope, cached on the user object for the rest of the request; with the list versions when
    asked (only the cached lists need them: every other request is spared their reading)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        if list_versions and cached.list_versions is None and not cached.is_superuser:
            cached = replace(cached, list_versions=_read_versions())
            setattr(user, _CACHE_ATTR, cached)
        return cached
    if user.is_superuser:
        scope = Scope(
            user_id=user.pk, is_superuser=True, tenants=frozenset(District.objects.values_list("pk", flat=True))
        )
        scope = Scope(**{**scope.__dict__, "districts": scope.tenants})
    else:
        assignments, residencies, personal, by_group, versions = _load(user, list_versions)
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
            granted_compounds=personal | by_group,
            personal_compounds=personal,
            firm_compounds=by_group,
            is_resident=bool(residencies),
            assignments=assignments,
            residencies=residencies,
            list_versions=versions,
        )
    setattr(user, _CACHE_ATTR, scope)
    return scope


@functools.cache
def _scope_sql(vendor: str, versions: bool) -> str:
    """One statement for everything a scope needs: the user's role rows, their residencies (with the
    household's place) and their guardian compound grants, personal and through groups; on PostgreSQL also
    the versions of the tables whose list pages are cached (communities.listcache), with the database's oid,
    when `versions` is asked.

    The list endpoints run this on every request; as four ORM queries (and earlier as an eight-table join)
    it cost more than the list itself (benchmarks/README.md), so it is written once here by hand."""
    ra, res, person, hh = (RoleAssignment._meta.db_table, Residency._meta.db_table,
                           Residency._meta.get_field("person").related_model._meta.db_table,
                           Residency._meta.get_field("household").related_model._meta.db_table)
    upo, gpo = CompoundUserObjectPermission._meta.db_table, CompoundGroupObjectPermission._meta.db_table
    user_groups = CompoundGroupObjectPermission._meta.get_field("group").related_model.user_set.through
    # The permission by its natural key (content type, codename), both unique indexes: by codename alone it
    # was a scan of auth_permission, twice per request.
    return f"""
    WITH perm AS (
        SELECT ap.id FROM auth_permission ap JOIN django_content_type ct ON ct.id = ap.content_type_id
         WHERE ct.app_label = %(app_label)s AND ct.model = %(model)s AND ap.codename = %(codename)s
    )
    SELECT 'role' AS kind, ra.id, ra.role AS code, ra.district_id, ra.street_id, ra.community_id,
           ra.compound_id, ra.firm_id, ra.department_id, CAST(NULL AS BIGINT) AS household_id,
           CAST(NULL AS BIGINT) AS person_id
      FROM {ra} ra WHERE ra.user_id = %(user)s AND %(active)s
    UNION ALL
    SELECT 'home', r.id, r.relation, h.district_id, h.street_id, h.community_id, h.compound_id, NULL, NULL,
           r.household_id, r.person_id
      FROM {res} r JOIN {person} p ON p.id = r.person_id JOIN {hh} h ON h.id = r.household_id
     WHERE p.user_id = %(user)s
    UNION ALL
    SELECT 'personal', NULL, NULL, NULL, NULL, NULL, g.content_object_id, NULL, NULL, NULL, NULL
      FROM {upo} g WHERE g.user_id = %(user)s AND g.permission_id = (SELECT id FROM perm)
    UNION ALL
    SELECT 'group', NULL, NULL, NULL, NULL, NULL, g.content_object_id, NULL, NULL, NULL, NULL
      FROM {gpo} g JOIN {user_groups._meta.db_table} ug ON ug.group_id = g.group_id
     WHERE ug.user_id = %(user)s AND g.permission_id = (SELECT id FROM perm)
    """ + (f"""
    UNION ALL
    SELECT 'version', {_DATABASE_OID}, v.name, NULL, NULL, NULL, v.value, NULL, NULL, NULL, NULL
      FROM {_VERSIONS_TABLE} v
    """ if versions and vendor == "postgresql" else "")


# The list versions' table (communities migration 0009) and the database's identity that goes with them.
_VERSIONS_TABLE = "communities_list_version"
_DATABASE_OID = "(SELECT CAST(oid AS BIGINT) FROM pg_database WHERE datname = current_database())"


def _list_version(oid, value) -> str:
    return f"{oid}:{value}"


def _read_versions() -> dict:
    """The list versions alone, for a scope read earlier in the request without them (rare: the lists ask
    first)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        sql.execute(cursor, f"SELECT v.name, {_DATABASE_OID}, v.value FROM {_VERSIONS_TABLE} v")
        return {name: _list_version(oid, value) for name, oid, value in cursor.fetchall()}


_ROLE_FIELDS = ["id", "role", "district_id", "street_id", "community_id", "compound_id", "firm_id",
                "department_id"]
_PLACE_FIELDS = ["id", "district_id", "street_id", "community_id", "compound_id"]


def _load(user, list_versions: bool = False):
    """(role assignments, residencies with their household's place, personal grants, group grants, list
    versions or None when not asked)."""
    with connection.cursor() as cursor:
        sql.execute(cursor, _scope_sql(connection.vendor, list_versions), {
            "user": user.pk, "active": bool(user.is_active), "codename": COMPOUND_PERMISSION,
            "app_label": Compound._meta.app_label, "model": Compound._meta.model_name,
        })
        rows = cursor.fetchall()
    db = connection.alias
    assignments, residencies, personal, by_group, versions = [], [], set(), set(), {}
    for kind, pk, code, district, street, community, compound, firm, department, household, person in rows:
        if kind == "role":
            assignment = RoleAssignment.from_db(
                db, _ROLE_FIELDS, [pk, code, district, street, community, compound, firm, department])
            assignment.user_id = user.pk
            assignments.append(assignment)
        elif kind == "home":
            residency = Residency.from_db(db, ["id", "relation", "household_id", "person_id"],
                                          [pk, code, household, person])
            residency.household = Household.from_db(db, _PLACE_FIELDS, [household, district, street, community,
                                                                         compound])
            residencies.append(residency)
        elif kind == "personal":
            personal.add(compound)
        elif kind == "version":
            versions[code] = _list_version(pk, compound)
        else:
            by_group.add(compound)
    assignments.sort(key=lambda a: a.pk)
    residencies.sort(key=lambda r: r.pk)
    return (tuple(assignments), tuple(residencies), frozenset(personal), frozenset(by_group),
            versions if list_versions else None)


def forget_scope(user) -> None:
    """Drops the cached scope after the user's roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
