"""Who sees and who may act on petitions (roles.md).

Sees: offices their subtree; a commissioner the petitions of its compounds; firm staff the petitions routed to
their firm in compounds it serves; committee members those routed to their committee; department staff those
routed or whistled to their department; residents their own.

Acts: the handler the petition is routed to, and the office of the level it has been escalated to (community
office at community level, street office at street level, district centre at district level). The district
organization department reads only.
"""

from django.db.models import Q

from communities.models import Role
from communities.policies import compound_policy
from communities.policy import Policy, node_at, node_ids
from communities.scope import PLACE_LEVELS, Scope, scope_for
from petitions.handlers import LEVEL_OFFICES, handler_of
from petitions.models import (
    HANDLER_TURN_STATES,
    TRANSITIONS,
    Category,
    DepartmentLimit,
    EscalationLevel,
    HandlerKind,
    Petition,
    Status,
    Whistle,
)
from properties.selectors import firm_serves

# "call_back": reveal the reporter's whole phone number to call them back (logged, petitions.services).
HANDLING_ACTIONS = frozenset({"accept", "start", "reply", "resolve", "reject", "transfer", "call_back"})
# The commissioner's follow-up of every petition of its compounds (docs/adr/0006): urge the handler, add a note,
# escalate a stuck petition to the community; with the merge of a duplicate and the record of a petition from
# another channel, which others share.
COMMISSIONER_ACTIONS = frozenset({"urge", "note", "escalate"})
# Who may record a petition from another channel for a compound they reach.
RECORDER_ROLES = frozenset({
    Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE, Role.COMMISSIONER, Role.COMMITTEE_MEMBER,
    Role.FIRM_STAFF,
})
# Who read a node's petition figures: the offices of its subtree, and a commissioner those of its compounds (it
# sees all their petitions).
FIGURES_ROLES = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE,
                           Role.COMMISSIONER})
# Who sees the name behind an anonymous petition: staff from the community up.
ABOVE_COMPOUND_ROLES = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE})


def _compounds_of(scope: Scope, role: str) -> set:
    return {a.compound_id for a in scope.assignments if a.role == role}


class PetitionPolicy(Policy):
    model = Petition

    def visible_q(self, scope: Scope) -> Q:
        q = scope.offices_q()
        commissioned = _compounds_of(scope, Role.COMMISSIONER)
        if commissioned:
            q |= Q(compound_id__in=commissioned)
        committees = _compounds_of(scope, Role.COMMITTEE_MEMBER)
        if committees:
            q |= Q(compound_id__in=committees, handler_kind=HandlerKind.COMMITTEE)
        if scope.firms:
            # The compounds its firm serves: the guardian grants that follow the active contracts.
            q |= Q(handler_firm_id__in=scope.firms, compound_id__in=scope.firm_compounds)
        if scope.departments:
            whistled = Whistle.objects.filter(department_id__in=scope.departments).values("petition_id")
            q |= Q(handler_department_id__in=scope.departments) | Q(pk__in=whistled)
        if scope.user_id:
            q |= Q(reporter_id=scope.user_id)
        return q & scope.tenant_q()

    # --- single questions ---------------------------------------------------------------------------------
    def is_handler(self, scope: Scope, petition: Petition) -> bool:
        """The user belongs to the handler the petition is routed to."""
        handler = handler_of(petition)
        return any(handler.holds(a, petition) for a in scope.assignments)

    def place(self, petition: Petition) -> dict:
        # Not node_ids: a petition's `level` is the level it has been escalated to, not a node of its own.
        return {level: getattr(petition, f"{level}_id") for level in PLACE_LEVELS}

    def is_level_office(self, scope: Scope, petition: Petition, level: str | None = None) -> bool:
        """The user is the office of the level the petition has been escalated to."""
        office = LEVEL_OFFICES.get(level or petition.level)
        return office is not None and bool(scope.reaching(self.place(petition), roles={office.role}))

    def is_commissioner(self, scope: Scope, petition: Petition) -> bool:
        """The user is a commissioner of the petition's compound."""
        return bool(scope.reaching(self.place(petition), roles={Role.COMMISSIONER}))

    def may_record(self, scope: Scope, compound) -> bool:
        """Staff may record a petition from another channel for a compound they reach; firm staff for a compound
        their firm serves (in their firm's district)."""
        if scope.reaching(node_ids(compound), roles=RECORDER_ROLES):
            return True
        return any(
            a.role == Role.FIRM_STAFF and a.district_id == compound.district_id
            and firm_serves(a.firm_id, compound=compound)
            for a in scope.assignments
        )

    def recordable_compounds(self, user):
        """The compounds the user may record a petition for (the record form's choices): those it sees, asked of
        `may_record` one by one, so that the form offers exactly what the service accepts."""
        scope = scope_for(user)
        visible = compound_policy.visible(user)
        if scope.is_superuser:
            return visible.order_by("name")
        return visible.filter(pk__in=[c.pk for c in visible if self.may_record(scope, c)]).order_by("name")

    def can(self, user, action: str, obj=None) -> bool:
        scope = scope_for(user)
        if action == "view":
            return super().can(user, action, obj)
        if scope.user_id is None:
            return False
        if obj is None:
            return False
        if action == "rate":
            return obj.reporter_id == scope.user_id
        if scope.is_superuser:
            return True
        if action == "call_back":
            # The commissioner calls its residents back too (roles.md, personal data): logged like the handler's.
            return self.is_handler(scope, obj) or self.is_level_office(scope, obj) or self.is_commissioner(scope, obj)
        if action in HANDLING_ACTIONS:
            return self.is_handler(scope, obj) or self.is_level_office(scope, obj)
        if action == "whistle":
            return obj.level in (EscalationLevel.STREET, EscalationLevel.DISTRICT) and self.is_level_office(
                scope, obj
            )
        if action == "merge":
            return self.is_handler(scope, obj) or self.is_level_office(scope, obj) or self.is_commissioner(scope, obj)
        if action in COMMISSIONER_ACTIONS:
            return self.is_commissioner(scope, obj)
        if action == "answer":
            return obj.whistles.filter(department_id__in=scope.departments, answered_at__isnull=True).exists()
        return False

    def sees_reporter(self, user, petition: Petition) -> bool:
        """Whether the user sees who reported an anonymous petition."""
        if not petition.anonymous:
            return True
        scope = scope_for(user)
        return scope.is_superuser or petition.reporter_id == scope.user_id or scope.has_role(*ABOVE_COMPOUND_ROLES)

    def actions_for(self, user, petition: Petition) -> list[str]:
        """The actions the user may take now, for buttons."""
        allowed = TRANSITIONS[petition.status]
        wanted = {
            "accept": Status.ACCEPTED in allowed and petition.status != Status.REOPENED,
            "start": Status.IN_PROGRESS in allowed,
            "reply": petition.status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED),
            "resolve": Status.RESOLVED in allowed,
            "reject": Status.REJECTED in allowed,
            "transfer": Status.TRANSFERRED in allowed,
            "whistle": petition.status in HANDLER_TURN_STATES,
            "rate": petition.status == Status.RESOLVED,
            "call_back": bool(petition.reporter_id or petition.reporter_phone) and self.sees_reporter(user, petition),
            "urge": petition.status in HANDLER_TURN_STATES,
            "note": True,
            "escalate": petition.status in HANDLER_TURN_STATES and petition.level == EscalationLevel.COMPOUND,
        }
        return [name for name, possible in wanted.items() if possible and self.can(user, name, petition)]


def reads_figures(user, node) -> bool:
    """Whether the user may read a node's petition figures: a node in the user's subtree grants, or a
    commissioner's compound (it sees all their petitions). Handlers (firms, committees, departments) and
    residents see only some petitions of a node: no figures. No query (the scope is in memory)."""
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.reaching(node_ids(node), roles=FIGURES_ROLES))


def figures_node(user, level: str, pk: int):
    """The node (district, street, community or compound) whose petition figures the user may read, or None."""
    node = node_at(level, pk)
    return node if node is not None and reads_figures(user, node) else None


class CategoryPolicy(Policy):
    """The catalogue is public in its district; the district property management centre keeps it."""

    model = Category
    editor_roles = frozenset({Role.DISTRICT_CENTER})

    def visible_q(self, scope: Scope) -> Q:
        return scope.tenant_q()


class DepartmentLimitPolicy(CategoryPolicy):
    """Departments' time limits sit beside the catalogue and are kept by the same people."""

    model = DepartmentLimit


class WhistlePolicy(Policy):
    model = Whistle

    def visible_q(self, scope: Scope) -> Q:
        return Q(petition__in=petition_policy.visible_pks(scope))


petition_policy = PetitionPolicy()
category_policy = CategoryPolicy()
whistle_policy = WhistlePolicy()
department_limit_policy = DepartmentLimitPolicy()
