"""Who sees and does what in the firms' evaluation (roles.md): the district centre runs ratings, lists and exits;
streets and communities appraise and review within their subtree; a firm sees its own scores and appeals;
residents see published lists."""

from django.db.models import Q

from communities.models import Role
from communities.policy import Policy, node_ids
from communities.scope import Scope, scope_for
from rankings.models import (
    Appeal,
    Appraisal,
    EvaluationRules,
    ExitCase,
    FirmResult,
    HandoverItem,
    Incident,
    Period,
    Review,
    Score,
    Stars,
    Talk,
)

CENTRE = frozenset({Role.DISTRICT_CENTER})
APPRAISERS = {Role.COMMUNITY_OFFICE: Appraisal.Level.COMMUNITY, Role.STREET_OFFICE: Appraisal.Level.STREET,
              Role.COMMITTEE_MEMBER: Appraisal.Level.COMMITTEE}
REVIEWERS = {Role.COMMUNITY_OFFICE: Review.Level.COMMUNITY, Role.STREET_OFFICE: Review.Level.STREET,
             Role.DISTRICT_CENTER: Review.Level.DISTRICT}


def _staff_q(scope: Scope, district_field: str = "district_id") -> Q:
    """Rows of the user's districts, for staff only (residents and visitors see none)."""
    return Q(pk__in=[]) if not scope.assignments else scope.tenant_q(district_field)


def _compounds(scope: Scope):
    from communities.policies import compound_policy

    return compound_policy.visible_pks(scope)


def _published(scope: Scope, prefix: str = "period__") -> Q:
    return Q(**{f"{prefix}status": Period.Status.PUBLISHED}) & scope.tenant_q(f"{prefix}district_id")


class RulesPolicy(Policy):
    model = EvaluationRules
    editor_roles = frozenset({Role.DISTRICT_CENTER, Role.DISTRICT_ORG})

    def visible_q(self, scope: Scope):
        return _staff_q(scope)


class PeriodPolicy(Policy):
    """Periods are known in their district; the district centre opens and scores them."""

    model = Period
    editor_roles = CENTRE

    def visible_q(self, scope: Scope):
        return scope.tenant_q()


class ScorePolicy(Policy):
    """A compound's score and breakdown: the offices over it, its firm, and the compound's own staff."""

    model = Score
    editor_roles = CENTRE

    def visible_q(self, scope: Scope):
        # A firm sees its own scores, not those of another firm that served the same compound.
        q = scope.offices_q() | Q(compound_id__in=scope.personal_compounds) | Q(firm_id__in=scope.firms)
        return q & _staff_q(scope)

    def place(self, obj):
        return {**node_ids(obj), "firm": obj.firm_id}


class FirmResultPolicy(Policy):
    """The list: staff of the district see every period's results; the firm its own; residents the published."""

    model = FirmResult
    editor_roles = CENTRE

    def visible_q(self, scope: Scope):
        staff = Q(pk__in=[])
        if scope.districts or scope.streets or scope.communities or scope.granted_compounds:
            staff = scope.tenant_q("period__district_id")
        return staff | Q(firm_id__in=scope.firms) | _published(scope)

    def place(self, obj):
        return {"district": obj.period.district_id, "firm": obj.firm_id}


class AppraisalPolicy(Policy):
    model = Appraisal
    editor_roles = frozenset(APPRAISERS)

    def level_for(self, user, compound) -> str | None:
        """The level the user appraises the compound at (community, street or owners' committee), by the first
        of their appraising roles that reaches it; None if none does."""
        levels = sorted(APPRAISERS[a.role] for a in scope_for(user).reaching(node_ids(compound), roles=APPRAISERS))
        return levels[0] if levels else None

    def visible_q(self, scope: Scope):
        return (Q(compound__in=_compounds(scope)) & _staff_q(scope, "compound__district_id")) \
            | Q(firm_id__in=scope.firms)

    def place(self, obj):
        return node_ids(obj.compound)


class IncidentPolicy(Policy):
    model = Incident
    editor_roles = frozenset({Role.STREET_OFFICE, Role.DISTRICT_CENTER})

    def visible_q(self, scope: Scope):
        return (Q(compound__in=_compounds(scope)) & _staff_q(scope, "compound__district_id")) \
            | Q(firm_id__in=scope.firms)

    def place(self, obj):
        return node_ids(obj.compound)


class ReviewPolicy(Policy):
    """Review opinions: the district's staff and firms (a firm reads the opinions on its quarter)."""

    model = Review
    editor_roles = frozenset(REVIEWERS)

    def reviewer_of(self, user, period) -> tuple[str, int] | None:
        """(level, node id) at which the user's office reviews the period: their first reviewing role in the
        period's district; None if they review nothing there."""
        for a in scope_for(user).assignments:
            if a.role in REVIEWERS and a.district_id == period.district_id:
                return REVIEWERS[a.role], getattr(a, f"{a.scope_field}_id")
        return None

    def visible_q(self, scope: Scope):
        return _staff_q(scope, "period__district_id")

    def place(self, obj):
        return {"district": obj.period.district_id, str(obj.level): obj.node_id}


class AppealPolicy(Policy):
    """The firm files its appeals; the district centre of the period's district decides them ("decide")."""

    model = Appeal
    editor_roles = frozenset({Role.FIRM_STAFF, Role.DISTRICT_CENTER})

    def editing_assignments(self, scope: Scope, action: str):
        if action == "decide":
            return [a for a in scope.assignments if a.role in CENTRE]
        return super().editing_assignments(scope, action)

    def visible_q(self, scope: Scope):
        return Q(period__district_id__in=scope.districts) | Q(firm_id__in=scope.firms)

    def place(self, obj):
        return {"district": obj.period.district_id, "firm": obj.firm_id}


class TalkPolicy(Policy):
    model = Talk
    editor_roles = CENTRE

    def visible_q(self, scope: Scope):
        return Q(period__district_id__in=scope.districts) | Q(firm_id__in=scope.firms)

    def place(self, obj):
        return {"district": obj.period.district_id, "firm": obj.firm_id}


class StarsPolicy(Policy):
    """Stars are public in the district."""

    model = Stars
    editor_roles = CENTRE

    def visible_q(self, scope: Scope):
        return scope.tenant_q()

    def place(self, obj):
        return {"district": obj.district_id, "firm": obj.firm_id}


class ExitCasePolicy(Policy):
    """An exit: the offices over the compound, its committee and commissioner, and both firms. The district
    centre and the street office over the compound run it; the street's fallback decision ("decide_for_street")
    is the street office's over the compound alone."""

    model = ExitCase
    editor_roles = frozenset({Role.DISTRICT_CENTER, Role.STREET_OFFICE})

    def editing_assignments(self, scope: Scope, action: str):
        if action == "decide_for_street":
            return [a for a in scope.assignments if a.role == Role.STREET_OFFICE]
        return super().editing_assignments(scope, action)

    def visible_q(self, scope: Scope):
        q = scope.offices_q() | Q(compound_id__in=scope.personal_compounds)
        return (q & _staff_q(scope)) | Q(firm_id__in=scope.firms) | Q(incoming_firm_id__in=scope.firms)


class HandoverItemPolicy(Policy):
    model = HandoverItem
    editor_roles = frozenset({Role.FIRM_STAFF, Role.COMMUNITY_OFFICE})

    def ticks_for(self, user, case, side: str) -> bool:
        """Whether the user ticks the checklist for `side`: the outgoing firm's staff, the incoming firm's, or
        the community office over the compound."""
        scope = scope_for(user)
        if scope.is_superuser:
            return True
        if side == HandoverItem.Side.OUTGOING:
            place, roles = {"firm": case.firm_id}, {Role.FIRM_STAFF}
        elif side == HandoverItem.Side.INCOMING:
            place, roles = {"firm": case.incoming_firm_id}, {Role.FIRM_STAFF}
        else:
            place, roles = node_ids(case), {Role.COMMUNITY_OFFICE}
        return bool(scope.reaching(place, roles=roles))

    def visible_q(self, scope: Scope):
        return Q(case__in=exit_policy.visible_pks(scope))

    def place(self, obj):
        return node_ids(obj.case)


rules_policy = RulesPolicy()
period_policy = PeriodPolicy()
score_policy = ScorePolicy()
result_policy = FirmResultPolicy()
appraisal_policy = AppraisalPolicy()
incident_policy = IncidentPolicy()
review_policy = ReviewPolicy()
appeal_policy = AppealPolicy()
talk_policy = TalkPolicy()
stars_policy = StarsPolicy()
exit_policy = ExitCasePolicy()
handover_policy = HandoverItemPolicy()
