"""Small explicit serializers: plain reads, and one input serializer per action (each calls a service)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.masking import mask_phone
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
    kind = serializers.CharField()
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class PetitionListSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    compound_name = serializers.CharField(source="compound.name", read_only=True)
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


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)

    class Meta:
        model = PetitionEvent
        fields = ["id", "kind", "at", "actor", "from_status", "to_status", "from_level", "to_level", "note",
                  "rating", "department", "department_name"]

    def get_actor(self, obj) -> str | None:
        if obj.actor_id is None:
            return None
        person = getattr(obj.actor, "person", None)
        return person.name if person else obj.actor.get_username()


class WhistleSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

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
        events = obj.events.select_related("actor__person", "department").order_by("at", "pk")
        return EventSerializer(events, many=True).data

    def get_reporter(self, obj) -> dict | None:
        user = self.context["request"].user
        if not petition_policy.sees_reporter(user, obj):
            return {"name": str(_("anonymous")), "phone": ""}
        name = obj.reporter_name
        if not name and obj.reporter_id:
            person = getattr(obj.reporter, "person", None)
            name = person.name if person else obj.reporter.get_username()
        return {"name": name, "phone": mask_phone(obj.reporter_phone)}

    def get_photos(self, obj) -> list[str]:
        return [a.file.url for a in obj.attachments.all()]

    def get_actions(self, obj) -> list[str]:
        return petition_policy.actions_for(self.context["request"].user, obj)


# --- inputs -----------------------------------------------------------------------------------------------

class PetitionCreateSerializer(serializers.Serializer):
    compound = serializers.IntegerField(required=False, allow_null=True)
    category = serializers.IntegerField()
    description = serializers.CharField(max_length=4000)
    source = serializers.ChoiceField(choices=Source.choices, default=Source.PORTAL)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    building = serializers.IntegerField(required=False, allow_null=True)
    spot = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class TransferSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=HandlerKind.choices)
    department = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class WhistleInputSerializer(serializers.Serializer):
    departments = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class MergeSerializer(serializers.Serializer):
    original = serializers.IntegerField()


class BulkAcceptSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=200)


class BulkAcceptResultSerializer(serializers.Serializer):
    accepted = serializers.ListField(child=serializers.IntegerField())
