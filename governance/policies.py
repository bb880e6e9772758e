"""Who sees and changes party organizations and compound bodies."""

from django.db.models import Q

from communities.models import Role
from communities.policies import community_policy, compound_policy
from communities.policy import Policy, node_ids
from communities.scope import scope_for
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    CampaignRecord,
    CampaignTarget,
    Candidate,
    CouncilMember,
    CrossAppointment,
    Evaluation,
    ListItem,
    Meeting,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    PartyOrganizationMember,
    StreetOffice,
    StreetOfficeStaff,
    SupervisoryRecord,
    TermReminder,
    Vetting,
    Vote,
    WorkRequest,
)

BODY_EDITORS = frozenset({Role.DISTRICT_ORG, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE})


def _visible_compounds(scope):
    return compound_policy.visible_pks(scope)


def _org_place_q(scope) -> Q:
    """Rows of a compound where the compound is seen, rows of a community (no compound) where the community is."""
    communities = community_policy.visible_pks(scope)
    return Q(compound__isnull=True, community_id__in=communities) | Q(compound_id__in=_visible_compounds(scope))


class PartyOrganizationPolicy(Policy):
    model = PartyOrganization
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        # A compound's branch is seen where the compound is; a community's committee where the community is.
        return _org_place_q(scope) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound if obj.compound_id else obj.community)


class PartyOrganizationMemberPolicy(Policy):
    """Members and their posts are seen with their organization (names and posts only: never their numbers)."""

    model = PartyOrganizationMember
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return _org_place_q(scope) & scope.tenant_q()

    def place(self, obj):
        org = obj.organization
        return node_ids(org.compound if org.compound_id else org.community)


class CrossAppointmentPolicy(Policy):
    """Seen like the seats it links: where its compound is seen, or its community for a firm head."""

    model = CrossAppointment
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return _org_place_q(scope) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound if obj.compound_id else obj.community)


class BodyPolicy(Policy):
    model = Body
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return Q(compound_id__in=_visible_compounds(scope)) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound)


class BodyMemberPolicy(Policy):
    model = BodyMember
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return Q(body__compound_id__in=_visible_compounds(scope)) & Q(body__district_id__in=scope.tenants)

    def place(self, obj):
        return node_ids(obj.body.compound)


party_organization_policy = PartyOrganizationPolicy()
party_org_member_policy = PartyOrganizationMemberPolicy()
cross_appointment_policy = CrossAppointmentPolicy()
body_policy = BodyPolicy()
body_member_policy = BodyMemberPolicy()


# --- candidates and vetting ------------------------------------------------------------------------------------

def _staff_compound_q(scope, field: str = "compound") -> Q:
    """Compounds staff reach by a subtree grant or a personal compound grant (commissioner, committee member):
    not a firm's group grant and not a residency, since candidates' vetting is no business of theirs."""
    q = Q(pk__in=[])
    if scope.districts:
        q |= Q(district_id__in=scope.districts)
    if scope.streets:
        q |= Q(**{f"{field}__street_id__in": scope.streets})
    if scope.communities:
        q |= Q(**{f"{field}__community_id__in": scope.communities})
    if scope.personal_compounds:
        q |= Q(**{f"{field}_id__in": scope.personal_compounds})
    return q


class CandidatePolicy(Policy):
    model = Candidate
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        q = _staff_compound_q(scope)
        if scope.departments:
            q |= Q(pk__in=Vetting.objects.filter(department_id__in=scope.departments).values("candidate_id"))
        return q & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound)


class VettingPolicy(Policy):
    model = Vetting
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        q = Q(candidate__in=Candidate.objects.filter(_staff_compound_q(scope)).values("pk"))
        if scope.departments:
            q |= Q(department_id__in=scope.departments)
        return q & Q(candidate__district_id__in=scope.tenants)

    def place(self, obj):
        return node_ids(obj.candidate.compound)

    def can(self, user, action, obj=None):
        if action == "answer":
            # Only the department asked answers, through its own staff.
            scope = scope_for(user)
            if obj is None:
                return bool(scope.departments)
            return obj.department_id in scope.departments and self.can(user, "view", obj)
        return super().can(user, action, obj)


# --- meetings, items, votes, the supervisory record ------------------------------------------------------------

class _CompoundThingPolicy(Policy):
    """Objects of a compound, public to everyone who sees the compound (its residents included)."""

    def visible_q(self, scope):
        return Q(compound_id__in=_visible_compounds(scope)) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound)


class MeetingPolicy(_CompoundThingPolicy):
    model = Meeting
    editor_roles = BODY_EDITORS | {Role.COMMISSIONER}


class AgendaItemPolicy(_CompoundThingPolicy):
    model = AgendaItem
    editor_roles = BODY_EDITORS | {Role.COMMISSIONER, Role.COMMITTEE_MEMBER}

    def editing_assignments(self, scope, action):
        if action == "pre_review":
            # The party organization deliberates first: the offices that speak for it.
            return [a for a in scope.assignments if a.role in BODY_EDITORS]
        return super().editing_assignments(scope, action)


class VotePolicy(_CompoundThingPolicy):
    model = Vote
    editor_roles = BODY_EDITORS

    def editing_assignments(self, scope, action):
        if action == "enter_ballot":
            # Paper and proxy ballots are entered by the commissioner or the community office.
            return [a for a in scope.assignments if a.role in (Role.COMMISSIONER, Role.COMMUNITY_OFFICE)]
        return super().editing_assignments(scope, action)


class SupervisoryRecordPolicy(_CompoundThingPolicy):
    model = SupervisoryRecord
    editor_roles = BODY_EDITORS | {Role.COMMISSIONER}


candidate_policy = CandidatePolicy()
vetting_policy = VettingPolicy()
meeting_policy = MeetingPolicy()
agenda_item_policy = AgendaItemPolicy()
vote_policy = VotePolicy()
supervisory_record_policy = SupervisoryRecordPolicy()


# --- coverage, members, building heads, evaluations, reminders -------------------------------------------------

class PartyCoveragePolicy(Policy):
    model = PartyCoverage
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        q = Q(body__compound_id__in=_visible_compounds(scope)) | Q(firm__isnull=False, district_id__in=scope.districts)
        if scope.firms:
            q |= Q(firm_id__in=scope.firms)
        return q & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.body.compound) if obj.body_id else {"district": obj.district_id}


class PartyMemberPolicy(Policy):
    model = PartyMember
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return (
            Q(district_id__in=scope.districts) | Q(community__street_id__in=scope.streets)
            | Q(community_id__in=scope.communities)
        ) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.community)


class BuildingHeadPolicy(_CompoundThingPolicy):
    model = BuildingHead
    editor_roles = BODY_EDITORS


class EvaluationPolicy(Policy):
    model = Evaluation
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return Q(body__compound_id__in=_visible_compounds(scope)) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.body.compound)


class TermReminderPolicy(Policy):
    model = TermReminder

    def visible_q(self, scope):
        return Q(body__in=Body.objects.filter(_staff_compound_q(scope)).values("pk")) & scope.tenant_q()

    def can(self, user, action, obj=None):
        return action == "view" and super().can(user, action, obj)


party_coverage_policy = PartyCoveragePolicy()
party_member_policy = PartyMemberPolicy()
building_head_policy = BuildingHeadPolicy()
evaluation_policy = EvaluationPolicy()
term_reminder_policy = TermReminderPolicy()


# --- council members, lists, department work requests, campaign targets -----------------------------------------

class CouncilMemberPolicy(Policy):
    model = CouncilMember
    editor_roles = BODY_EDITORS | {Role.COMMISSIONER}

    def visible_q(self, scope):
        return Q(meeting__compound_id__in=_visible_compounds(scope)) & Q(meeting__district_id__in=scope.tenants)

    def place(self, obj):
        return node_ids(obj.meeting.compound)


OFFICE_ROLES = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE})


def _office_districts(scope) -> set:
    return {a.district_id for a in scope.assignments if a.role in OFFICE_ROLES or a.role == Role.DEPARTMENT_STAFF}


class ListItemPolicy(Policy):
    """The district's catalogues: read by its offices and departments, kept by the organization department."""

    model = ListItem
    editor_roles = frozenset({Role.DISTRICT_ORG})

    def visible_q(self, scope):
        return Q(district_id__in=_office_districts(scope)) & scope.tenant_q()

    def place(self, obj):
        return {"district": obj.district_id}


class WorkRequestPolicy(Policy):
    """A department sees its own requests; the offices those into their subtree; the street office decides."""

    model = WorkRequest
    editor_roles = frozenset({Role.STREET_OFFICE})

    def visible_q(self, scope):
        q = scope.offices_q()
        if scope.departments:
            q |= Q(department_id__in=scope.departments)
        return q & scope.tenant_q()

    def editing_assignments(self, scope, action):
        # Exceptions to the access list are the street office's (roles.md); nobody else changes a request.
        return [a for a in scope.assignments if a.role == Role.STREET_OFFICE]


class CampaignTargetPolicy(Policy):
    """The district's campaign table: read by its offices, kept by the organization department."""

    model = CampaignTarget
    editor_roles = frozenset({Role.DISTRICT_ORG})

    def visible_q(self, scope):
        districts = {a.district_id for a in scope.assignments if a.role in OFFICE_ROLES}
        return Q(district_id__in=districts) & scope.tenant_q()

    def place(self, obj):
        return {"district": obj.district_id}


class StreetOfficePolicy(Policy):
    """A street's three-party office and its staff: seen by the district's offices and the street's own office,
    kept by the organization department and by the street office for its own street (campaign rows 1 and 2)."""

    model = StreetOffice
    editor_roles = frozenset({Role.DISTRICT_ORG, Role.STREET_OFFICE})

    def visible_q(self, scope):
        return (Q(district_id__in=scope.districts) | Q(street_id__in=scope.streets)) & scope.tenant_q()


class StreetOfficeStaffPolicy(StreetOfficePolicy):
    model = StreetOfficeStaff


class CampaignRecordPolicy(Policy):
    """The campaign's records: seen and kept by the offices in their subtree (a street's own records, such as its
    joint meetings, by the street and the district only); the centre reads them."""

    model = CampaignRecord
    editor_roles = frozenset({Role.DISTRICT_ORG, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE})

    def visible_q(self, scope):
        return scope.offices_q() & scope.tenant_q()


def post_holders_q(scope) -> Q:
    """Role assignments held inside the scope's office subtree (a compound role by its compound's place): whom a
    campaign record may name as a trainee or a model commissioner."""
    streets, communities = scope.streets, scope.communities
    return (
        Q(district_id__in=scope.districts) | Q(street_id__in=streets) | Q(community__street_id__in=streets)
        | Q(compound__street_id__in=streets) | Q(community_id__in=communities)
        | Q(compound__community_id__in=communities)
    ) & scope.tenant_q()


council_member_policy = CouncilMemberPolicy()
list_item_policy = ListItemPolicy()
work_request_policy = WorkRequestPolicy()
campaign_target_policy = CampaignTargetPolicy()
street_office_policy = StreetOfficePolicy()
street_office_staff_policy = StreetOfficeStaffPolicy()
campaign_record_policy = CampaignRecordPolicy()
