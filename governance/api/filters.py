"""Filters by id only: a choice list would show what lies outside the user's scope."""


from core.filters import FilterSet, IdFilter, filterset_for
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    Candidate,
    CrossAppointment,
    Evaluation,
    ListItem,
    Meeting,
    PartyMember,
    PartyOrganizationMember,
    Vetting,
    Vote,
    WorkRequest,
)


def _by_compound(model_, extra=()):
    return filterset_for(model_, ["compound", *extra])


BodyFilter = _by_compound(Body, ["kind"])
CandidateFilter = _by_compound(Candidate)
MeetingFilter = _by_compound(Meeting, ["kind"])
AgendaItemFilter = _by_compound(AgendaItem)
VoteFilter = _by_compound(Vote, ["status", "rule"])
BuildingHeadFilter = _by_compound(BuildingHead, ["is_party_member"])


class PartyMemberFilter(FilterSet):
    community = IdFilter(field_name="community_id")

    class Meta:
        model = PartyMember
        fields = ["community", "kind"]


class EvaluationFilter(FilterSet):
    body = IdFilter(field_name="body_id")

    class Meta:
        model = Evaluation
        fields = ["body", "year", "rating"]


class ListItemFilter(FilterSet):
    class Meta:
        model = ListItem
        fields = ["kind", "is_active"]


class WorkRequestFilter(FilterSet):
    community = IdFilter(field_name="community_id")
    department = IdFilter(field_name="department_id")

    class Meta:
        model = WorkRequest
        fields = ["community", "department", "status"]


class BodyMemberFilter(FilterSet):
    body = IdFilter(field_name="body_id")

    class Meta:
        model = BodyMember
        fields = ["body", "office"]


class VettingFilter(FilterSet):
    candidate = IdFilter(field_name="candidate_id")

    class Meta:
        model = Vetting
        fields = ["candidate", "outcome"]


class PartyOrganizationMemberFilter(FilterSet):
    organization = IdFilter(field_name="organization_id")
    community = IdFilter(field_name="community_id")
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = PartyOrganizationMember
        fields = ["organization", "community", "compound", "post", "is_part_time"]


class CrossAppointmentFilter(FilterSet):
    street = IdFilter(field_name="street_id")
    community = IdFilter(field_name="community_id")
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = CrossAppointment
        fields = ["street", "community", "compound", "kind"]
