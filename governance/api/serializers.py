from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import (
    BoundedDateField,
    BoundedDateTimeField,
    CharField,
    IdField,
    InputModelSerializer,
    StrictBooleanField,
)
from governance.models import (
    AgendaItem,
    Ballot,
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
    Rule,
    StreetOffice,
    StreetOfficeStaff,
    SupervisoryRecord,
    Vetting,
    Vote,
    WorkRequest,
)


class PartyOrganizationSerializer(serializers.ModelSerializer):
    secretary_name = CharField(read_only=True, allow_null=True)

    class Meta:
        model = PartyOrganization
        fields = ["id", "kind", "name", "district", "community", "compound", "secretary_name", "contact_phone"]


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "kind", "district", "compound", "formed_on", "term_ends_on", "contact_phone"]


class BodyMemberSerializer(serializers.ModelSerializer):
    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = BodyMember
        fields = ["id", "body", "name", "office", "is_party_member"]


class VettingSerializer(serializers.ModelSerializer):
    department_name = CharField(source="department.name", read_only=True)

    class Meta:
        model = Vetting
        fields = ["id", "candidate", "department", "department_name", "outcome", "reason", "answered_at"]


class CandidateSerializer(serializers.ModelSerializer):
    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "name", "district", "community", "compound", "is_party_member", "nominated_on", "elected_to"]


class VettingAnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(Vetting.Outcome.PASS, _("Pass")), (Vetting.Outcome.FAIL, _("Fail"))])
    reason = CharField(max_length=300, required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "title", "district", "community", "compound", "held_at", "attendees", "minutes"]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "compound", "title", "description", "is_major", "pre_reviewed_at",
                  "pre_review_note", "decision"]


class PreReviewSerializer(serializers.Serializer):
    note = CharField(max_length=2000)


class VoteSerializer(serializers.ModelSerializer):
    title = CharField(source="item.title", read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "item", "title", "district", "compound", "rule", "status", "result", "opened_at", "deadline",
                  "closed_at"]


class VoteDetailSerializer(VoteSerializer):
    counts = serializers.DictField(source="summary.counts", read_only=True)
    turnout_heads = CharField(source="summary.turnout_heads", read_only=True, allow_null=True)
    turnout_area = CharField(source="summary.turnout_area", read_only=True, allow_null=True)
    result = CharField(source="summary.result", read_only=True)
    my_choice = CharField(read_only=True, allow_null=True)

    class Meta(VoteSerializer.Meta):
        fields = [*VoteSerializer.Meta.fields, "counts", "turnout_heads", "turnout_area", "my_choice"]


class VoteOpenSerializer(serializers.Serializer):
    item = IdField()
    rule = serializers.ChoiceField(choices=Rule.choices)
    deadline = BoundedDateTimeField()


class BallotInSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)
    channel = serializers.ChoiceField(choices=Ballot.Channel.choices, default=Ballot.Channel.ELECTRONIC)
    voter_person = IdField(required=False, help_text=_("For paper and proxy ballots: the owner."))
    proxy_name = CharField(max_length=50, required=False, allow_blank=True, default="")
    proxy_authorization = CharField(required=False, allow_blank=True, default="")


class BallotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ballot
        fields = ["id", "vote", "choice", "channel", "cast_at"]


class SupervisoryRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisoryRecord
        fields = ["id", "district", "compound", "item", "matter", "meeting_kind", "decision", "recorded_at",
                  "published_at"]


class MeetingInSerializer(InputModelSerializer):
    compound = IdField()
    held_at = BoundedDateTimeField()

    class Meta:
        model = Meeting
        fields = ["compound", "kind", "title", "held_at", "attendees", "minutes"]


class AgendaItemInSerializer(serializers.Serializer):
    meeting = IdField()
    title = CharField(max_length=200)
    description = CharField(required=False, allow_blank=True, default="")
    is_major = StrictBooleanField(required=False, default=False)


class DecisionSerializer(serializers.Serializer):
    decision = CharField(max_length=4000)


class CouncilMemberSerializer(serializers.ModelSerializer):
    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = CouncilMember
        fields = ["id", "meeting", "person", "name", "capacity"]


class CouncilMemberInSerializer(serializers.Serializer):
    person = IdField()
    capacity = serializers.ChoiceField(choices=CouncilMember.Capacity.choices)


class CouncilInSerializer(serializers.Serializer):
    members = CouncilMemberInSerializer(many=True, allow_empty=False, help_text=_("A list of {person, capacity}."))


class SendForVettingSerializer(serializers.Serializer):
    departments = serializers.ListField(child=IdField(), required=False,
                                        help_text=_("Department ids; the district's default departments if left out."))


class PartyCoverageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyCoverage
        fields = ["id", "district", "body", "firm", "coverage", "organization", "instructor_name"]


class PartyMemberSerializer(serializers.ModelSerializer):
    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = PartyMember
        fields = ["id", "district", "community", "name", "kind", "reported_on", "is_central_household"]


class BuildingHeadSerializer(serializers.ModelSerializer):
    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = BuildingHead
        fields = ["id", "district", "compound", "building", "name", "is_party_member"]


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["id", "district", "body", "year", "rating", "evaluators", "reasons"]


class ListItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListItem
        fields = ["id", "district", "kind", "number", "title", "department_kind", "is_active"]


class WorkRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkRequest
        fields = ["id", "district", "street", "community", "department", "list_item", "title", "description",
                  "status", "requested_at", "decided_at", "decision_note"]


class WorkRequestInSerializer(serializers.Serializer):
    department = IdField()
    community = IdField()
    title = CharField(max_length=200)
    description = CharField(required=False, allow_blank=True, default="")
    list_item = IdField(required=False, allow_null=True, default=None)


class WorkRequestDecisionSerializer(serializers.Serializer):
    approve = StrictBooleanField()
    note = CharField(max_length=300, required=False, allow_blank=True, default="")


class CampaignTargetSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("share: a value between 0 and 1; count: a number to "
                                                             "reach"))

    class Meta:
        model = CampaignTarget
        fields = ["id", "district", "number", "task", "measure", "kind", "target_value", "starts_on", "lead_units",
                  "responsible_units", "deadline"]


class StreetOfficeStaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = StreetOfficeStaff
        fields = ["id", "name", "post", "is_deputy_secretary"]


class StreetOfficeSerializer(serializers.ModelSerializer):
    staff = StreetOfficeStaffSerializer(many=True, read_only=True)

    class Meta:
        model = StreetOffice
        fields = ["id", "district", "street", "set_up_on", "venue", "yearly_funding", "staff"]


class CampaignRecordSerializer(serializers.ModelSerializer):
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = CampaignRecord
        fields = ["id", "district", "street", "community", "compound", "kind", "title", "on", "person", "amount",
                  "evidence_url", "note", "recorded_by"]

    def get_evidence_url(self, obj) -> str | None:
        if not obj.evidence:
            return None
        return reverse("campaign-record-evidence", args=[obj.pk])


class CampaignRecordInSerializer(serializers.Serializer):
    """A new campaign record: the street for what the street itself did, else the community (and the compound
    where the kind names one); sent as multipart when it carries its evidence."""

    kind = serializers.ChoiceField(choices=CampaignRecord.Kind.choices)
    title = CharField(max_length=200)
    on = BoundedDateField()
    street = IdField(required=False)
    community = IdField(required=False)
    compound = IdField(required=False)
    person = IdField(required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False)
    evidence = serializers.FileField(required=False)
    note = CharField(required=False, allow_blank=True, default="")


class PartyOrganizationMemberSerializer(serializers.ModelSerializer):
    """Name and post only: a member's phone is personal data."""

    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = PartyOrganizationMember
        fields = ["id", "organization", "district", "community", "compound", "name", "post", "is_part_time"]


class CrossAppointmentSerializer(serializers.ModelSerializer):
    name = CharField(source="person.name", read_only=True)

    class Meta:
        model = CrossAppointment
        fields = ["id", "kind", "name", "district", "street", "community", "compound", "body_member", "party_post",
                  "firm", "started_on"]
