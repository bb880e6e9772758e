"""Filters by id only: a choice list would show what lies outside the user's scope."""

import django_filters as filters

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
    attrs = {
        "compound": filters.NumberFilter(field_name="compound_id"),
        "Meta": type("Meta", (), {"model": model_, "fields": ["compound", *extra]}),
    }
    return type(f"{model_.__name__}Filter", (filters.FilterSet,), attrs)


BodyFilter = _by_compound(Body, ["kind"])
CandidateFilter = _by_compound(Candidate)
MeetingFilter = _by_compound(Meeting, ["kind"])
AgendaItemFilter = _by_compound(AgendaItem)
VoteFilter = _by_compound(Vote, ["status", "rule"])
BuildingHeadFilter = _by_compound(BuildingHead, ["is_party_member"])


class PartyMemberFilter(filters.FilterSet):
    community = filters.NumberFilter(field_name="community_id")

    class Meta:
        model = PartyMember
        fields = ["community", "kind"]


class EvaluationFilter(filters.FilterSet):
    body = filters.NumberFilter(field_name="body_id")

    class Meta:
        model = Evaluation
        fields = ["body", "year", "rating"]


class ListItemFilter(filters.FilterSet):
    class Meta:
        model = ListItem
        fields = ["kind", "is_active"]


class WorkRequestFilter(filters.FilterSet):
    community = filters.NumberFilter(field_name="community_id")
    department = filters.NumberFilter(field_name="department_id")

    class Meta:
        model = WorkRequest
        fields = ["community", "department", "status"]


class BodyMemberFilter(filters.FilterSet):
    body = filters.NumberFilter(field_name="body_id")

    class Meta:
        model = BodyMember
        fields = ["body", "office"]


class VettingFilter(filters.FilterSet):
    candidate = filters.NumberFilter(field_name="candidate_id")

    class Meta:
        model = Vetting
        fields = ["candidate", "outcome"]


class PartyOrganizationMemberFilter(filters.FilterSet):
    organization = filters.NumberFilter(field_name="organization_id")
    community = filters.NumberFilter(field_name="community_id")
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = PartyOrganizationMember
        fields = ["organization", "community", "compound", "post", "is_part_time"]


class CrossAppointmentFilter(filters.FilterSet):
    street = filters.NumberFilter(field_name="street_id")
    community = filters.NumberFilter(field_name="community_id")
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = CrossAppointment
        fields = ["street", "community", "compound", "kind"]
