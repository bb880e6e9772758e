"""Small explicit serializers: plain reads, and one input serializer per action (each calls a service)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.masking import mask_phone
from communities.models import phone_validator
from core.api import BoundedDateField, CharField, IdField, InputSerializer, IntegerField, StrictBooleanField
from petitions import attachments, commissioner, selectors
from petitions.models import Category, HandlerKind, Petition, PetitionEvent, Source, Whistle
from petitions.policies import petition_policy


def handler_of(petition: Petition) -> dict:
    name = HandlerKind(petition.handler_kind).label
    node_id = None
    if petition.handler_kind == HandlerKind.FIRM and petition.handler_firm_id:
        name, node_id = petition.handler_firm.name, petition.handler_firm_id
    elif petition.handler_kind == HandlerKind.DEPARTMENT and petition.handler_department_id:
        name, node_id = petition.handler_department.name, petition.handler_department_id
    return {"kind": petition.handler_kind, "id": node_id, "name": str(name)}


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "district", "code", "name", "routing", "department", "accept_hours", "resolve_hours",
                  "department_hours"]


class HandlerSerializer(serializers.Serializer):
    kind = CharField()
    id = IntegerField(allow_null=True)
    name = CharField()


class PetitionListSerializer(serializers.ModelSerializer):
    category_name = CharField(source="category.name", read_only=True)
    compound_name = CharField(source="compound.name", read_only=True)
    handler = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = ["id", "status", "level", "deadline", "deadline_kind", "overdue", "handler", "source",
                  "external_ref", "category", "category_name", "compound", "compound_name", "created_at"]

    def get_handler(self, obj) -> HandlerSerializer:
        return handler_of(obj)

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("now") or timezone.now())


_DATETIME = serializers.DateTimeField()


def petition_row(petition: Petition, now=None) -> dict:
    """What `PetitionListSerializer` gives for one petition, as a plain dict: the create's answer, a hot path
    where building a ModelSerializer's fields costs more than the insert (benchmarks/README.md)."""
    return {
        "id": petition.pk, "status": petition.status, "level": petition.level,
        "deadline": _DATETIME.to_representation(petition.deadline) if petition.deadline else None,
        "deadline_kind": petition.deadline_kind, "overdue": petition.is_overdue(now or timezone.now()),
        "handler": handler_of(petition), "source": petition.source, "external_ref": petition.external_ref,
        "category": petition.category_id, "category_name": petition.category.name,
        "compound": petition.compound_id, "compound_name": petition.compound.name,
        "created_at": _DATETIME.to_representation(petition.created_at),
    }


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    department_name = CharField(source="department.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = PetitionEvent
        fields = ["id", "kind", "at", "actor", "from_status", "to_status", "from_level", "to_level", "note",
                  "rating", "department", "department_name"]

    def get_actor(self, obj) -> str | None:
        # As selectors.timeline_for names the actor for this user; the API says null for the platform itself.
        return None if obj.actor_id is None else str(obj.actor_shown)


class WhistleSerializer(serializers.ModelSerializer):
    department_name = CharField(source="department.name", read_only=True)

    class Meta:
        model = Whistle
        fields = ["id", "department", "department_name", "blown_at", "due_at", "acknowledged_at", "answered_at",
                  "answer", "is_late"]


class PetitionDetailSerializer(PetitionListSerializer):
    timeline = serializers.SerializerMethodField()
    whistles = WhistleSerializer(many=True, read_only=True)
    reporter = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(PetitionListSerializer.Meta):
        fields = [*PetitionListSerializer.Meta.fields, "description", "building", "spot", "anonymous", "reporter",
                  "reply", "replied_at", "rejection_reason", "rating", "rating_comment", "close_reason",
                  "duplicate_of", "escalations", "missed_deadlines", "accepted_at", "resolved_at", "closed_at",
                  "photos", "whistles", "timeline", "actions"]

    def get_timeline(self, obj) -> EventSerializer(many=True):
        return EventSerializer(selectors.timeline_for(self.context["request"].user, obj), many=True).data

    def get_reporter(self, obj) -> dict | None:
        user = self.context["request"].user
        if not petition_policy.sees_reporter(user, obj):
            return {"name": str(_("anonymous")), "phone": ""}
        name = obj.reporter_name
        if not name and obj.reporter_id:
            person = getattr(obj.reporter, "person", None)
            name = person.name if person else obj.reporter.get_username()
        return {"name": name, "phone": mask_phone(selectors.reporter_phone_source(obj)[1])}

    def get_photos(self, obj) -> list[str]:
        """The scoped addresses of the petition's photos: the reporter's, then the handler's (reply, resolve)."""
        return [attachments.photo_url(a) for a in obj.attachments.all()]

    def get_actions(self, obj) -> list[str]:
        return selectors.available_actions(self.context["request"].user, obj)


# --- inputs -----------------------------------------------------------------------------------------------

class PetitionCreateSerializer(InputSerializer):
    compound = IdField(required=False, allow_null=True)
    category = IdField()
    description = CharField(max_length=4000)
    source = serializers.ChoiceField(choices=Source.choices, default=Source.PORTAL)
    external_ref = CharField(max_length=64, required=False, allow_blank=True, default="")
    reporter_name = CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = CharField(max_length=20, required=False, allow_blank=True, default="",
                                           validators=[phone_validator])
    building = IdField(required=False, allow_null=True)
    spot = CharField(max_length=100, required=False, allow_blank=True, default="")
    anonymous = StrictBooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class NoteSerializer(serializers.Serializer):
    note = CharField(required=False, allow_blank=True, default="", max_length=2000)


class FollowUpNoteSerializer(serializers.Serializer):
    note = CharField(max_length=commissioner.NOTE_MAX)


class EscalateSerializer(serializers.Serializer):
    reason = CharField(max_length=commissioner.REASON_MAX)


def _photos_field():
    return serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReplySerializer(serializers.Serializer):
    text = CharField(max_length=4000)
    photos = _photos_field()


class ResolveSerializer(NoteSerializer):
    photos = _photos_field()


class FiguresQuerySerializer(serializers.Serializer):
    node = serializers.ChoiceField(choices=["district", "street", "community", "compound"])
    id = IdField()
    start = BoundedDateField()
    end = BoundedDateField(help_text=_("The day after the period (exclusive)."))

    def validate(self, attrs):
        if attrs["start"] >= attrs["end"]:
            raise serializers.ValidationError({"end": _("The end must come after the start.")})
        if (attrs["end"] - attrs["start"]).days > 366:
            raise serializers.ValidationError({"end": _("A period is at most a year.")})
        return attrs


def figures_json(figures: dict) -> dict:
    """The selector's figures with durations as seconds."""

    def seconds(value):
        return None if value is None else round(value.total_seconds(), 1)

    out = {**figures, "median_to_accept": seconds(figures["median_to_accept"]),
           "median_to_resolve": seconds(figures["median_to_resolve"])}
    out["departments"] = [
        {"department": d["department_id"], "name": d["department__name"], "calls": d["calls"], "late": d["late"],
         "answered": d["answered"], "mean_response": seconds(d["mean_response"])}
        for d in figures["departments"]
    ]
    return out


class ReporterPhoneRevealSerializer(serializers.Serializer):
    reason = CharField(required=False, allow_blank=True, default="", max_length=150)


class PhoneSerializer(serializers.Serializer):
    phone = CharField()


class RejectSerializer(serializers.Serializer):
    reason = CharField(max_length=300)


class TransferSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=HandlerKind.choices)
    department = IdField(required=False, allow_null=True)
    note = CharField(required=False, allow_blank=True, default="", max_length=2000)


class RateSerializer(serializers.Serializer):
    rating = IntegerField(min_value=1, max_value=5)
    comment = CharField(required=False, allow_blank=True, default="", max_length=500)


class WhistleInputSerializer(serializers.Serializer):
    departments = serializers.ListField(child=IdField(), min_length=1)
    note = CharField(required=False, allow_blank=True, default="", max_length=2000)


class AnswerSerializer(serializers.Serializer):
    answer = CharField(required=False, allow_blank=True, default="", max_length=4000)


class MergeSerializer(serializers.Serializer):
    original = IdField()


class BulkAcceptSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), min_length=1, max_length=200)


class BulkAcceptResultSerializer(serializers.Serializer):
    accepted = serializers.ListField(child=IntegerField())
