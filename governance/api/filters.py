"""Filters by id only: a choice list would show what lies outside the user's scope (core.filters takes every
foreign key by its id)."""


from core.filters import filterset_for
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    CampaignRecord,
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

CampaignRecordFilter = filterset_for(CampaignRecord, ["street", "community", "compound", "kind"])
BodyFilter = filterset_for(Body, ["compound", "kind"])
CandidateFilter = filterset_for(Candidate, ["compound"])
MeetingFilter = filterset_for(Meeting, ["compound", "kind"])
AgendaItemFilter = filterset_for(AgendaItem, ["compound"])
VoteFilter = filterset_for(Vote, ["compound", "status", "rule"])
BuildingHeadFilter = filterset_for(BuildingHead, ["compound", "is_party_member"])
PartyMemberFilter = filterset_for(PartyMember, ["community", "kind"])
EvaluationFilter = filterset_for(Evaluation, ["body", "year", "rating"])
ListItemFilter = filterset_for(ListItem, ["kind", "is_active"])
WorkRequestFilter = filterset_for(WorkRequest, ["community", "department", "status"])
BodyMemberFilter = filterset_for(BodyMember, ["body", "office"])
VettingFilter = filterset_for(Vetting, ["candidate", "outcome"])
PartyOrganizationMemberFilter = filterset_for(
    PartyOrganizationMember, ["organization", "community", "compound", "post", "is_part_time"])
CrossAppointmentFilter = filterset_for(CrossAppointment, ["street", "community", "compound", "kind"])
