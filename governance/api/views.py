from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.api.views import ScopedViewSet
from communities.policies import compound_policy
from config.api import DomainError
from governance import policies, selectors, services
from governance.api import filters, serializers
from governance.models import Ballot, Voter


class PartyOrganizationViewSet(ScopedViewSet):
    policy = policies.party_organization_policy
    serializer_class = serializers.PartyOrganizationSerializer
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("secretary")


class BodyViewSet(ScopedViewSet):
    policy = policies.body_policy
    serializer_class = serializers.BodySerializer
    filterset_class = filters.BodyFilter
    ordering = ["id"]


class BodyMemberViewSet(ScopedViewSet):
    policy = policies.body_member_policy
    serializer_class = serializers.BodyMemberSerializer
    filterset_class = filters.BodyMemberFilter
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("person")


class CandidateViewSet(ScopedViewSet):
    policy = policies.candidate_policy
    serializer_class = serializers.CandidateSerializer
    filterset_class = filters.CandidateFilter
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("person")


class VettingViewSet(ScopedViewSet):
    policy = policies.vetting_policy
    serializer_class = serializers.VettingSerializer
    filterset_class = filters.VettingFilter
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("department")

    @extend_schema(request=serializers.VettingAnswerSerializer, responses=serializers.VettingSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The department's pass or fail (with a reason) on a candidate."""
        data = serializers.VettingAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vetting = services.vetting_answer(actor=request.user, vetting=self.get_object(), **data.validated_data)
        return Response(serializers.VettingSerializer(vetting).data)


class MeetingViewSet(ScopedViewSet):
    policy = policies.meeting_policy
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering = ["id"]


class AgendaItemViewSet(ScopedViewSet):
    policy = policies.agenda_item_policy
    serializer_class = serializers.AgendaItemSerializer
    filterset_class = filters.AgendaItemFilter
    ordering = ["id"]

    @extend_schema(request=serializers.PreReviewSerializer, responses=serializers.AgendaItemSerializer)
    @action(detail=True, methods=["post"], url_path="pre-review")
    def pre_review(self, request, pk=None):
        """Records the party organization's pre-review (先议先审) of the item."""
        data = serializers.PreReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.item_pre_review(actor=request.user, item=self.get_object(), **data.validated_data)
        return Response(serializers.AgendaItemSerializer(item).data)


class VoteViewSet(ScopedViewSet):
    policy = policies.vote_policy
    serializer_class = serializers.VoteSerializer
    filterset_class = filters.VoteFilter
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("item")

    def get_serializer_class(self):
        return serializers.VoteDetailSerializer if self.action == "retrieve" else serializers.VoteSerializer

    def retrieve(self, request, *args, **kwargs):
        vote = self.get_object()
        vote.summary = selectors.vote_summary(vote)
        mine = Ballot.objects.filter(vote=vote, voter__person__user_id=request.user.pk).first()
        vote.my_choice = mine.choice if mine else None
        return Response(serializers.VoteDetailSerializer(vote).data)

    @extend_schema(request=serializers.VoteOpenSerializer, responses=serializers.VoteSerializer)
    def create(self, request):
        """Opens a vote on an agenda item with the rule chosen now."""
        data = serializers.VoteOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = policies.agenda_item_policy.get_visible(request.user, pk=data.validated_data["item"])
        vote = services.vote_open(actor=request.user, item=item, rule=data.validated_data["rule"],
                                  deadline=data.validated_data["deadline"])
        return Response(serializers.VoteSerializer(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.BallotInSerializer, responses=serializers.BallotSerializer)
    @action(detail=True, methods=["post"])
    def ballots(self, request, pk=None):
        """Casts a ballot: an owner's own (electronic), or a paper or proxy ballot entered by staff."""
        vote = self.get_object()
        data = serializers.BallotInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        voter = None
        if "voter_person" in d:
            voter = Voter.objects.filter(vote=vote, person_id=d["voter_person"]).select_related("person").first()
            if voter is None:
                raise DomainError(_("This person is not an eligible voter of this vote."), field="voter_person")
        ballot = services.ballot_cast(actor=request.user, vote=vote, choice=d["choice"], voter=voter,
                                      channel=d["channel"], proxy_name=d["proxy_name"],
                                      proxy_authorization=d["proxy_authorization"])
        return Response(serializers.BallotSerializer(ballot).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.VoteDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Closes the vote now and computes its result."""
        vote = services.vote_close(actor=request.user, vote=self.get_object())
        vote.summary = selectors.vote_summary(vote)
        vote.my_choice = None
        return Response(serializers.VoteDetailSerializer(vote).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="not-voted")
    def not_voted(self, request, pk=None):
        """Households whose owner has not voted yet, per building (staff who may enter ballots)."""
        vote = self.get_object()
        policies.vote_policy.require(request.user, "enter_ballot", vote)
        return Response(selectors.households_not_voted(vote))


class SupervisoryRecordViewSet(ScopedViewSet):
    policy = policies.supervisory_record_policy
    serializer_class = serializers.SupervisoryRecordSerializer
    ordering = ["id"]


class CoverageView(APIView):
    """Coverage figures over the compounds the user sees, optionally one street or community of them."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        compounds = compound_policy.visible(request.user)
        for name in ("street", "community", "compound"):
            value = request.query_params.get(name)
            if value is not None:
                if not value.isdigit():
                    raise DomainError(_("Give a number."), field=name)
                compounds = compounds.filter(**{f"{name}_id" if name != "compound" else "pk": int(value)})
        return Response(selectors.coverage(compounds))
