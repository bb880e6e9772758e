"""Filters by id only: a choice list would show what lies outside the user's scope."""

import django_filters as filters

from governance.models import AgendaItem, Body, BodyMember, Candidate, Meeting, Vetting, Vote


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
