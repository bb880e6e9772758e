from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.api.views import ScopedViewSet
from communities.models import District
from communities.policies import compound_policy, household_policy
from communities.scope import scope_for
from properties.models import Firm
from rankings import policies, selectors, services, takeover
from rankings.api import serializers


class RulesViewSet(ScopedViewSet):
    """The district's evaluation rules: indicator weights (Decimal) and the list's placement; the district
    centre changes them (a 400 with the reason for weights the rules do not allow)."""

    policy = policies.rules_policy
    serializer_class = serializers.EvaluationRulesSerializer
    ordering = ["id"]

    @extend_schema(request=serializers.EvaluationRulesInSerializer, responses=serializers.EvaluationRulesSerializer)
    def update(self, request, pk=None):
        data = serializers.EvaluationRulesInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = services.rules_save(actor=request.user, district_id=self.get_object().district_id,
                                    **data.validated_data)
        return Response(serializers.EvaluationRulesSerializer(found).data)


class PeriodViewSet(ScopedViewSet):
    """Quarters of the district; the district centre opens and scores them, each office signs its review."""

    policy = policies.period_policy
    serializer_class = serializers.PeriodSerializer
    ordering = ["id"]

    @extend_schema(request=serializers.PeriodOpenSerializer, responses={201: serializers.PeriodSerializer})
    def create(self, request):
        data = serializers.PeriodOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        district = District.objects.filter(pk=d.pop("district"), pk__in=scope_for(request.user).tenants).first()
        if district is None:
            raise Http404
        period = services.period_open(actor=request.user, district=district, **d)
        return Response(serializers.PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.PeriodSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        """Scores the quarter now (also done by Celery when the quarter ends)."""
        period = services.period_compute(actor=request.user, period=self.get_object())
        return Response(serializers.PeriodSerializer(period).data)

    @extend_schema(request=serializers.OpinionSerializer, responses={201: serializers.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The user's office signs its review (community → street → district centre, which publishes)."""
        data = serializers.OpinionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_add(actor=request.user, period=self.get_object(), **data.validated_data)
        return Response(serializers.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ResultViewSet(ScopedViewSet):
    """The red/black list: firms' results per quarter (residents see the published ones)."""

    policy = policies.result_policy
    serializer_class = serializers.FirmResultSerializer
    filterset_fields = ["period", "placement", "firm"]
    ordering = ["id"]
    select_related = ("firm",)


class ScoreViewSet(ScopedViewSet):
    """Scores per firm and compound with their breakdowns."""

    policy = policies.score_policy
    serializer_class = serializers.ScoreSerializer
    filterset_fields = ["period", "firm", "compound"]
    ordering = ["id"]


class ReviewViewSet(ScopedViewSet):
    policy = policies.review_policy
    serializer_class = serializers.ReviewSerializer
    filterset_fields = ["period", "level"]
    ordering = ["id"]


class AppraisalViewSet(ScopedViewSet):
    policy = policies.appraisal_policy
    serializer_class = serializers.AppraisalSerializer
    filterset_fields = ["period", "compound", "firm", "level"]
    ordering = ["id"]

    @extend_schema(request=serializers.AppraisalInSerializer, responses={201: serializers.AppraisalSerializer})
    def create(self, request):
        """The community's, street's or owners' committee's appraisal (by the user's role), with reasons."""
        data = serializers.AppraisalInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        period = policies.period_policy.get_visible(request.user, pk=d["period"])
        compound = compound_policy.get_visible(request.user, pk=d["compound"])
        appraisal = services.appraisal_save(actor=request.user, period=period, compound=compound,
                                            firm_id=d["firm"], score=d["score"], reasons=d["reasons"])
        return Response(serializers.AppraisalSerializer(appraisal).data, status=status.HTTP_201_CREATED)


class IncidentViewSet(ScopedViewSet):
    policy = policies.incident_policy
    serializer_class = serializers.IncidentSerializer
    filterset_fields = ["period", "compound", "firm"]
    ordering = ["id"]

    @extend_schema(request=serializers.IncidentInSerializer, responses={201: serializers.IncidentSerializer})
    def create(self, request):
        """The street records a serious incident (a veto)."""
        data = serializers.IncidentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        period = policies.period_policy.get_visible(request.user, pk=d["period"])
        compound = compound_policy.get_visible(request.user, pk=d["compound"])
        incident = services.incident_record(actor=request.user, period=period, compound=compound, firm_id=d["firm"],
                                            occurred_on=d["occurred_on"], description=d["description"])
        return Response(serializers.IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)


class AppealViewSet(ScopedViewSet):
    """A firm's appeals against its published result; the district centre decides."""

    policy = policies.appeal_policy
    serializer_class = serializers.AppealSerializer
    filterset_fields = ["period", "status"]
    ordering = ["id"]

    @extend_schema(request=serializers.AppealInSerializer, responses={201: serializers.AppealSerializer})
    def create(self, request):
        data = serializers.AppealInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        period = policies.period_policy.get_visible(request.user, pk=d["period"])
        appeal = services.appeal_file(actor=request.user, period=period, firm_id=d["firm"], reason=d["reason"])
        return Response(serializers.AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.AppealDecideSerializer, responses=serializers.AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = serializers.AppealDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(actor=request.user, appeal=self.get_object(), **data.validated_data)
        return Response(serializers.AppealSerializer(appeal).data)


class TalkViewSet(ScopedViewSet):
    policy = policies.talk_policy
    serializer_class = serializers.TalkSerializer
    filterset_fields = ["period", "firm"]
    ordering = ["id"]


class StarsViewSet(ScopedViewSet):
    policy = policies.stars_policy
    serializer_class = serializers.StarsSerializer
    filterset_fields = ["year", "firm", "stars"]
    ordering = ["id"]


class ExitViewSet(ScopedViewSet):
    policy = policies.exit_policy
    serializer_class = serializers.ExitCaseSerializer
    filterset_fields = ["status", "compound"]
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    def _answer(self, case):
        case = self.get_queryset().get(pk=case.pk)
        return Response(serializers.ExitCaseSerializer(case).data)

    @extend_schema(request=serializers.ExitDecideSerializer, responses=serializers.ExitCaseSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The decision: a passed owners' vote of the compound, or the street's fallback decision."""
        data = serializers.ExitDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(takeover.exit_decide(actor=request.user, case=self.get_object(), **data.validated_data))

    @extend_schema(request=serializers.ExitDropSerializer, responses=serializers.ExitCaseSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        """Drops an exit awaiting its decision or its handover, with the reason; the firm stays."""
        data = serializers.ExitDropSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(takeover.exit_drop(actor=request.user, case=self.get_object(), **data.validated_data))

    @extend_schema(responses=serializers.TakeoverCandidateSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def candidates(self, request, pk=None):
        """Firms that may take over, five-star and red-listed first."""
        case = self.get_object()
        firms = selectors.firms_by_priority(case.district_id, year=timezone.localdate().year).exclude(pk=case.firm_id)
        return Response(serializers.TakeoverCandidateSerializer(firms, many=True).data)

    @extend_schema(request=serializers.HandoverStartSerializer, responses=serializers.ExitCaseSerializer)
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        """Ends the outgoing contract and starts the handover to the incoming firm."""
        data = serializers.HandoverStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self.get_object()
        firm = Firm.objects.filter(pk=data.validated_data["incoming_firm"], district_id=case.district_id).first()
        if firm is None:
            raise Http404
        return self._answer(takeover.handover_start(actor=request.user, case=case, incoming_firm=firm))

    @extend_schema(request=serializers.HandoverTickSerializer, responses=serializers.ExitCaseSerializer)
    @action(detail=True, methods=["post"])
    def tick(self, request, pk=None):
        """One side confirms one item of the handover checklist."""
        data = serializers.HandoverTickSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self.get_object()
        takeover.handover_tick(actor=request.user, case=case, **data.validated_data)
        return self._answer(case)

    @extend_schema(request=serializers.TakeoverCompleteSerializer, responses=serializers.ExitCaseSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """With every item ticked by all three sides, the incoming firm's contract becomes active."""
        data = serializers.TakeoverCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(takeover.takeover_complete(actor=request.user, case=self.get_object(),
                                                       **data.validated_data))


class SurveyView(APIView):
    """The one-question quarterly survey: a resident answers for their household, once per quarter."""

    @extend_schema(request=serializers.SurveyInSerializer, responses={201: serializers.SurveyAnswerSerializer})
    def post(self, request):
        data = serializers.SurveyInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        household = household_policy.get_visible(request.user, pk=data.validated_data["household"])
        answer = services.survey_answer(actor=request.user, household=household,
                                        score=data.validated_data["score"])
        return Response(serializers.SurveyAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)
