"""`/api/v1/petitions/`: scoped list and detail, create, and one POST per action, each calling a service."""

import datetime

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.policies import building_policy
from core.errors import DomainError
from petitions import commissioner, selectors, services
from petitions.api import filters, serializers
from petitions.policies import figures_node, petition_policy
from petitions.services import BUILDING_OUTSIDE_COMPOUND


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = filters.PetitionFilter
    search_fields = ["description", "external_ref"]
    ordering_fields = ["created_at", "deadline"]

    def get_queryset(self):
        return self._detail_queryset() if self.action == "retrieve" else self._list_queryset()

    def _list_queryset(self):
        return petition_policy.visible(self.request.user).select_related(
            "category", "compound", "handler_firm", "handler_department"
        ).order_by("-created_at", "-pk")

    def _detail_queryset(self):
        """What the detail serializer reads, loaded up front: for the detail and for every action's answer."""
        return self._list_queryset().select_related("reporter__person").prefetch_related(
            "attachments", "whistles__department")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PetitionDetailSerializer
        return serializers.PetitionListSerializer

    def _detail(self, petition, code=status.HTTP_200_OK):
        petition = self._detail_queryset().filter(pk=petition.pk).first()
        if petition is None:  # e.g. a resident's petition is theirs; staff may have transferred it away
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            serializers.PetitionDetailSerializer(petition, context=self.get_serializer_context()).data, status=code
        )

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=serializers.PetitionCreateSerializer, responses=serializers.PetitionListSerializer)
    def create(self, request):
        data = self._input(serializers.PetitionCreateSerializer)
        building = data.pop("building", None)
        if building:
            # Only a building the user may see; an unknown, an invisible and another compound's building get the
            # one refusal, so that the answer tells nothing of what exists elsewhere.
            building = building_policy.visible(request.user).filter(pk=building).first()
            if building is None:
                raise DomainError(BUILDING_OUTSIDE_COMPOUND, field="building")
        petition = services.petition_create(actor=request.user, building=building, **data)
        # The short form: the petition was just made, its timeline is one line (GET the detail for it).
        return Response(serializers.petition_row(petition), status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = self._input(serializers.NoteSerializer)
        return self._detail(services.petition_accept(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        data = self._input(serializers.NoteSerializer)
        return self._detail(services.petition_start(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.TransferSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        data = self._input(serializers.TransferSerializer)
        petition = services.petition_transfer(actor=request.user, petition=self.get_object(), **data)
        return self._detail(petition)

    @extend_schema(request=serializers.ReplySerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        data = self._input(serializers.ReplySerializer)
        return self._detail(services.petition_reply(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.ResolveSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        data = self._input(serializers.ResolveSerializer)
        return self._detail(services.petition_resolve(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.RejectSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self._input(serializers.RejectSerializer)
        return self._detail(services.petition_reject(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.RateSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        data = self._input(serializers.RateSerializer)
        return self._detail(services.petition_rate(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.WhistleInputSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def whistle(self, request, pk=None):
        data = self._input(serializers.WhistleInputSerializer)
        petition = self.get_object()
        services.petition_whistle(actor=request.user, petition=petition, **data)
        return self._detail(petition)

    @extend_schema(request=serializers.AnswerSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """A whistled department acknowledges (empty answer) or answers."""
        data = self._input(serializers.AnswerSerializer)
        petition = self.get_object()
        services.whistle_answer(actor=request.user, petition=petition, **data)
        return self._detail(petition)

    @extend_schema(request=serializers.ReporterPhoneRevealSerializer, responses=serializers.PhoneSerializer)
    @action(detail=True, methods=["post"], url_path="reporter-phone")
    def reporter_phone(self, request, pk=None):
        """The reporter's whole phone number, for the handler to call back; every reveal is logged."""
        data = self._input(serializers.ReporterPhoneRevealSerializer)
        phone = services.petition_reveal_reporter_phone(actor=request.user, petition=self.get_object(), **data)
        return Response({"phone": phone})

    @extend_schema(request=serializers.MergeSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merges this petition (a duplicate) into `original`."""
        data = self._input(serializers.MergeSerializer)
        duplicate = self.get_object()
        original = petition_policy.get_visible(request.user, pk=data["original"])
        services.petition_merge(actor=request.user, duplicate=duplicate, original=original)
        return self._detail(duplicate)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        """The compound's commissioner urges the handler (a timeline event and a notification)."""
        data = self._input(serializers.NoteSerializer)
        return self._detail(commissioner.petition_urge(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.FollowUpNoteSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """The compound's commissioner adds a note to the timeline."""
        data = self._input(serializers.FollowUpNoteSerializer)
        return self._detail(commissioner.petition_add_note(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(request=serializers.EscalateSerializer, responses=serializers.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """The compound's commissioner sends a stuck petition at compound level to the community office."""
        data = self._input(serializers.EscalateSerializer)
        return self._detail(commissioner.petition_escalate(actor=request.user, petition=self.get_object(), **data))

    @extend_schema(responses=serializers.PetitionListSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None)
    def duplicates(self, request, pk=None):
        """Open petitions of the same compound and category from the last 7 days."""
        petition = self.get_object()
        rows = selectors.possible_duplicates(
            request.user, compound_id=petition.compound_id, category_id=petition.category_id, exclude_pk=petition.pk
        )
        return Response(serializers.PetitionListSerializer(rows, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=serializers.BulkAcceptSerializer, responses=serializers.BulkAcceptResultSerializer)
    @action(detail=False, methods=["post"], url_path="bulk-accept")
    def bulk_accept(self, request):
        """Accepts each listed petition the user may accept; answers the ids accepted."""
        data = self._input(serializers.BulkAcceptSerializer)
        petitions = list(self.get_queryset().filter(pk__in=data["ids"]))
        accepted = services.petition_bulk_accept(actor=request.user, petitions=petitions)
        return Response({"accepted": sorted(p.pk for p in accepted)})

    @extend_schema(parameters=[serializers.FiguresQuerySerializer], responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def figures(self, request):
        """Figures of one node's petitions over a period [start, end): `?node=street&id=3&start=…&end=…`.
        404 for a node the user has no figures of."""
        query = serializers.FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        node = figures_node(request.user, params["node"], params["id"])
        if node is None:
            raise Http404
        tz = timezone.get_current_timezone()
        start, end = (datetime.datetime.combine(params[k], datetime.time(), tzinfo=tz) for k in ("start", "end"))
        figures = selectors.petition_figures(node, start, end)
        return Response({"node": params["node"], "id": node.pk, "name": node.name, "start": params["start"],
                         "end": params["end"], **serializers.figures_json(figures)})

    @extend_schema(responses=serializers.CategorySerializer(many=True))
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def categories(self, request):
        """The category catalogue of the user's districts."""
        rows = selectors.categories_for(request.user)
        return Response(serializers.CategorySerializer(rows, many=True).data)
