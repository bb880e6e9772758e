from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api import IdField
from rankings import rules
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

SCORE = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class EvaluationRulesSerializer(serializers.ModelSerializer):
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=4), read_only=True,
                                    help_text=_("Indicator code → weight, as decimal strings."))

    class Meta:
        model = EvaluationRules
        fields = ["id", "district", "weights", "red_share", "red_min_score", "black_below", "appeal_days"]


class WeightsField(serializers.DictField):
    """Indicator code → weight, checked by `rules.parse_weights`: the admin's rule, with its precision, sum check
    and messages. A JSON number is read as the decimal it spells (12.5, never the float nearest it), as the
    admin's form reads it."""

    child = serializers.DecimalField(max_digits=9, decimal_places=4, min_value=0)  # what the schema shows

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = {code: Decimal(str(v)) if isinstance(v, float) else v for code, v in data.items()}
        try:
            return rules.parse_weights(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class EvaluationRulesInSerializer(serializers.Serializer):
    """The district's rules; every field optional on a change. Weights: indicator code → a decimal number ≥ 0
    (any scale), given as numbers or decimal strings."""

    weights = WeightsField(required=False)
    red_share = serializers.DecimalField(max_digits=4, decimal_places=3, min_value=0, max_value=1, required=False)
    red_min_score = serializers.DecimalField(required=False, **SCORE)
    black_below = serializers.DecimalField(required=False, **SCORE)
    appeal_days = serializers.IntegerField(min_value=0, max_value=365, required=False)


# Named apart from the ledger's accounting periods in the API's schema.
@extend_schema_serializer(component_name="EvaluationPeriod")
class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "district", "year", "quarter", "starts_on", "ends_on", "status", "computed_at",
                  "published_at"]


class PeriodOpenSerializer(serializers.Serializer):
    district = IdField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)


class FirmResultSerializer(serializers.ModelSerializer):
    firm_name = serializers.CharField(source="firm.name", read_only=True)

    class Meta:
        model = FirmResult
        fields = ["id", "period", "firm", "firm_name", "score", "compounds", "rank", "vetoed", "placement"]


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["id", "period", "firm", "compound", "score", "vetoed", "breakdown"]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "period", "level", "node_id", "opinion", "reviewed_at"]


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(max_length=2000)


class AppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appraisal
        fields = ["id", "period", "compound", "firm", "level", "score", "reasons", "appraised_at"]


class AppraisalInSerializer(serializers.Serializer):
    period = IdField()
    compound = IdField()
    firm = IdField()
    score = serializers.DecimalField(**SCORE)
    reasons = serializers.CharField(max_length=2000)


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["id", "period", "compound", "firm", "occurred_on", "description", "withdrawn"]


class IncidentInSerializer(serializers.Serializer):
    period = IdField()
    compound = IdField()
    firm = IdField()
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=2000)


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "period", "firm", "reason", "filed_at", "status", "decision", "decided_at"]


class AppealInSerializer(serializers.Serializer):
    period = IdField()
    firm = IdField()
    reason = serializers.CharField(max_length=2000)


class AppealDecideSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    decision = serializers.CharField(max_length=2000)
    withdraw_incidents = serializers.BooleanField(
        default=False, help_text=_("Withdraw the firm's incidents of the quarter (a wrongly recorded veto)."))


class TalkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Talk
        fields = ["id", "period", "firm", "held_on", "notes"]


class StarsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stars
        fields = ["id", "district", "firm", "year", "stars", "mean_score", "red_listings", "black_listings"]


class HandoverItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandoverItem
        fields = ["item", "side", "ticked_at", "note"]


class ExitCaseSerializer(serializers.ModelSerializer):
    items = HandoverItemSerializer(many=True, read_only=True)

    class Meta:
        model = ExitCase
        fields = ["id", "compound", "contract", "firm", "reason", "status", "opened_at", "decision", "vote_id",
                  "decided_at", "incoming_firm", "new_contract", "handover_started_on", "completed_on", "dropped_reason",
                  "dropped_at", "items"]


class SurveyInSerializer(serializers.Serializer):
    household = IdField()
    score = serializers.IntegerField(min_value=1, max_value=5)


class SurveyAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.IntegerField(source="period_id")
    score = serializers.IntegerField()


class ExitDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ExitCase.Decision.choices)
    vote_id = IdField(required=False, allow_null=True, default=None)


class ExitDropSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class HandoverStartSerializer(serializers.Serializer):
    incoming_firm = IdField()


class HandoverTickSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=HandoverItem.Item.choices)
    side = serializers.ChoiceField(choices=HandoverItem.Side.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TakeoverCompleteSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class TakeoverCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    star_rating = serializers.IntegerField()
    red_listings = serializers.IntegerField()
    priority = serializers.IntegerField()
