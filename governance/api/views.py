from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.api.views import ScopedViewSet
from communities.models import Community, Department
from communities.policies import community_policy, compound_policy, person_policy, street_policy
from communities.scope import scope_for
from core.errors import DomainError
from core.params import optional_int
from governance import policies, selectors, services
from governance.api import filters, serializers
from governance.models import Ballot, CampaignRecord, ListItem, PartyOrganizationMember, Voter

# Figures per node, target or building: a plain JSON list of objects (no pagination).
LIST_OF_OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": {}}}


class PartyOrganizationViewSet(ScopedViewSet):
    policy = policies.party_organization_policy
    serializer_class = serializers.PartyOrganizationSerializer
    ordering = ["id"]

    def get_queryset(self):
        secretary = PartyOrganizationMember.objects.filter(
            organization_id=OuterRef("pk"), post=PartyOrganizationMember.Post.SECRETARY).values("person__name")[:1]
        return super().get_queryset().annotate(secretary_name=Subquery(secretary))


class PartyOrganizationMemberViewSet(ScopedViewSet):
    """Members of party organizations with their posts (the secretary is the member in the secretary post)."""

    policy = policies.party_org_member_policy
    serializer_class = serializers.PartyOrganizationMemberSerializer
    filterset_class = filters.PartyOrganizationMemberFilter
    ordering = ["id"]

    select_related = ("person",)


class CrossAppointmentViewSet(ScopedViewSet):
    """Cross-appointments (交叉任职); `per-node/?level=street|community|compound` counts them per node."""

    policy = policies.cross_appointment_policy
    serializer_class = serializers.CrossAppointmentSerializer
    filterset_class = filters.CrossAppointmentFilter
    ordering = ["id"]

    select_related = ("person",)

    @extend_schema(responses={200: LIST_OF_OBJECTS})
    @action(detail=False, methods=["get"], url_path="per-node", pagination_class=None)
    def per_node(self, request):
        """Counts per node of one level over the cross-appointments the user sees, by one grouped query."""
        level = request.query_params.get("level", "community")
        if level not in selectors.CROSS_LEVELS:
            raise DomainError(_("Choose district, street, community or compound."), field="level")
        counts = selectors.cross_appointments_per_node(self.filter_queryset(self.get_queryset()), level)
        return Response([{"id": node, **figures} for node, figures in sorted(counts.items())])


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

    select_related = ("person",)


class CandidateViewSet(ScopedViewSet):
    policy = policies.candidate_policy
    serializer_class = serializers.CandidateSerializer
    filterset_class = filters.CandidateFilter
    ordering = ["id"]

    select_related = ("person",)

    @extend_schema(request=serializers.SendForVettingSerializer,
                   responses={201: serializers.VettingSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="send-for-vetting", pagination_class=None)
    def send_for_vetting(self, request, pk=None):
        """Sends the candidate to the joint vetting (资格联审) of the district's departments."""
        candidate = self.get_object()
        data = serializers.SendForVettingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        departments = None
        if data.validated_data.get("departments"):
            ids = set(data.validated_data["departments"])
            departments = list(Department.objects.filter(pk__in=ids, district_id=candidate.district_id))
            if len(departments) != len(ids):
                raise DomainError(_("Name departments of the candidate's district."), field="departments")
        vettings = services.candidate_send_for_vetting(actor=request.user, candidate=candidate,
                                                       departments=departments)
        return Response(serializers.VettingSerializer(vettings, many=True).data, status=status.HTTP_201_CREATED)


class VettingViewSet(ScopedViewSet):
    policy = policies.vetting_policy
    serializer_class = serializers.VettingSerializer
    filterset_class = filters.VettingFilter
    ordering = ["id"]

    select_related = ("department",)

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

    @extend_schema(request=serializers.MeetingInSerializer, responses=serializers.MeetingSerializer)
    def create(self, request):
        """Convenes a meeting of a compound."""
        data = serializers.MeetingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        meeting = services.meeting_create(actor=request.user, compound=compound, **d)
        return Response(serializers.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=serializers.CouncilMemberSerializer(many=True), filters=False)
    @extend_schema(methods=["POST"], request=serializers.CouncilInSerializer,
                   responses={201: serializers.CouncilMemberSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def council(self, request, pk=None):
        """The members of a quarterly council, who are the electorate of its votes (5030 rule); POST replaces
        them with a list of {person, capacity}."""
        meeting = self.get_object()
        if request.method == "POST":
            policies.meeting_policy.require(request.user, "change", meeting)  # who may, before what they sent
            data = serializers.CouncilInSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            rows = data.validated_data["members"]
            ids = {row["person"] for row in rows}
            # Only people the user may see (as the admin's person autocomplete offers): an unknown and an
            # invisible person are the same refusal, and no name from outside the scope comes back.
            people = person_policy.visible(request.user).in_bulk(ids)
            if len(people) != len(ids):
                raise DomainError(_("Name each member by a person id."), field="members")
            services.meeting_set_council(actor=request.user, meeting=meeting, members=[
                (people[row["person"]], row["capacity"]) for row in rows])
        members = policies.council_member_policy.visible(request.user).filter(meeting=meeting).select_related(
            "person").order_by("pk")
        return Response(serializers.CouncilMemberSerializer(members, many=True).data,
                        status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK)


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

    @extend_schema(request=serializers.AgendaItemInSerializer, responses=serializers.AgendaItemSerializer)
    def create(self, request):
        """Puts a matter on a meeting's agenda."""
        data = serializers.AgendaItemInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        meeting = policies.meeting_policy.get_visible(request.user, pk=d.pop("meeting"))
        item = services.item_add(actor=request.user, meeting=meeting, **d)
        return Response(serializers.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DecisionSerializer, responses={201: serializers.SupervisoryRecordSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Records the meeting's decision on the item; it goes into the supervisory record (一事一记)."""
        data = serializers.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.item_decide(actor=request.user, item=self.get_object(), **data.validated_data)
        return Response(serializers.SupervisoryRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class VoteViewSet(ScopedViewSet):
    policy = policies.vote_policy
    serializer_class = serializers.VoteSerializer
    filterset_class = filters.VoteFilter
    ordering = ["id"]

    select_related = ("item",)

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

    @extend_schema(request=serializers.BallotInSerializer, responses={201: serializers.BallotSerializer})
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

    @extend_schema(responses={200: LIST_OF_OBJECTS})
    @action(detail=True, methods=["get"], url_path="not-voted", pagination_class=None)
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

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter(name, int, required=False, description=f"Only the compounds of this {name} (its id).")
        for name in ("street", "community", "compound")])
    def get(self, request):
        compounds = compound_policy.visible(request.user)
        for name in ("street", "community", "compound"):
            value = optional_int(request.query_params, name)
            if value is not None:
                compounds = compounds.filter(**{f"{name}_id" if name != "compound" else "pk": value})
        return Response(selectors.coverage(compounds))


class PartyCoverageViewSet(ScopedViewSet):
    policy = policies.party_coverage_policy
    serializer_class = serializers.PartyCoverageSerializer
    ordering = ["id"]


class PartyMemberViewSet(ScopedViewSet):
    policy = policies.party_member_policy
    serializer_class = serializers.PartyMemberSerializer
    filterset_class = filters.PartyMemberFilter
    ordering = ["id"]

    select_related = ("person",)


class BuildingHeadViewSet(ScopedViewSet):
    policy = policies.building_head_policy
    serializer_class = serializers.BuildingHeadSerializer
    filterset_class = filters.BuildingHeadFilter
    ordering = ["id"]

    select_related = ("person",)


class EvaluationViewSet(ScopedViewSet):
    policy = policies.evaluation_policy
    serializer_class = serializers.EvaluationSerializer
    filterset_class = filters.EvaluationFilter
    ordering = ["id"]


class ListItemViewSet(ScopedViewSet):
    """The district's three lists (party-building, responsibility, access) and its whistle list."""

    plain_list = True
    policy = policies.list_item_policy
    serializer_class = serializers.ListItemSerializer
    filterset_class = filters.ListItemFilter
    ordering = ["kind", "number", "id"]


class WorkRequestViewSet(ScopedViewSet):
    """Department work brought into a community: on the access list, or approved by the street office."""

    policy = policies.work_request_policy
    serializer_class = serializers.WorkRequestSerializer
    filterset_class = filters.WorkRequestFilter
    ordering = ["id"]

    @extend_schema(request=serializers.WorkRequestInSerializer, responses=serializers.WorkRequestSerializer)
    def create(self, request):
        data = serializers.WorkRequestInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        scope = scope_for(request.user)
        # Who may ask comes first: only a department the user works in (any of the district's for a platform
        # admin). Looked up before the community, so that nobody else learns from the answer which communities
        # or departments exist.
        departments = Department.objects.filter(district_id__in=scope.tenants)
        if not scope.is_superuser:
            departments = departments.filter(pk__in=scope.departments)
        department = departments.filter(pk=d["department"]).first()
        if department is None:
            raise DomainError(_("Name a department you work in."), field="department")
        community = Community.objects.filter(pk=d["community"], district_id=department.district_id).first()
        if community is None:
            raise DomainError(_("Unknown community."), field="community")
        item = None
        if d["list_item"] is not None:
            item = ListItem.objects.filter(pk=d["list_item"], district_id=department.district_id).first()
            if item is None:
                raise DomainError(_("Unknown list item."), field="list_item")
        work = services.work_request_submit(actor=request.user, department=department, community=community,
                                            title=d["title"], description=d["description"], list_item=item)
        return Response(serializers.WorkRequestSerializer(work).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.WorkRequestDecisionSerializer, responses=serializers.WorkRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The street office approves or refuses work that is not on the access list."""
        data = serializers.WorkRequestDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        work = services.work_request_decide(actor=request.user, request=self.get_object(), **data.validated_data)
        return Response(serializers.WorkRequestSerializer(work).data)


class CampaignTargetViewSet(ScopedViewSet):
    """The district's campaign table; `progress/` gives live figures per street and community of the user's
    scope."""

    policy = policies.campaign_target_policy
    serializer_class = serializers.CampaignTargetSerializer
    ordering = ["number", "id"]

    def _progress(self, targets):
        communities = community_policy.visible(self.request.user)
        return selectors.targets_progress(targets, communities)

    @extend_schema(responses={200: LIST_OF_OBJECTS}, operation_id="v1_governance_targets_progress_all")
    @action(detail=False, methods=["get"], url_path="progress", pagination_class=None, filter_backends=[])
    def progress_all(self, request):
        """Progress of every target."""
        return Response(self._progress(list(self.get_queryset())))

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Progress of one target."""
        return Response(self._progress([self.get_object()])[0])


class StreetOfficeViewSet(ScopedViewSet):
    """The streets' three-party offices with their staff (campaign rows 1 and 2)."""

    policy = policies.street_office_policy
    serializer_class = serializers.StreetOfficeSerializer
    ordering = ["id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("staff")


class CampaignRecordViewSet(ScopedViewSet):
    """What the campaign did, kind by kind (campaign rows 1 and 15–22); the offices add records in their subtree,
    with their evidence as a multipart upload."""

    policy = policies.campaign_record_policy
    serializer_class = serializers.CampaignRecordSerializer
    filterset_class = filters.CampaignRecordFilter
    ordering = ["-on", "-id"]

    @extend_schema(request={"multipart/form-data": serializers.CampaignRecordInSerializer,
                            "application/json": serializers.CampaignRecordInSerializer},
                   responses={201: serializers.CampaignRecordSerializer})
    def create(self, request):
        data = serializers.CampaignRecordInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = request.user
        # Places are looked up among those the user sees: one the user cannot see reads as not found.
        record = CampaignRecord(kind=d["kind"], title=d["title"], on=d["on"], amount=d.get("amount"),
                                note=d["note"], person_id=d.get("person"))
        for name, policy in (("street", street_policy), ("community", community_policy),
                             ("compound", compound_policy)):
            if d.get(name) is None:
                continue
            node = policy.visible(user).filter(pk=d[name]).first()
            if node is None:
                raise DomainError(_("No such place in your part of the district."), field=name)
            setattr(record, name, node)
        record = services.campaign_record_save(actor=user, record=record, upload=d.get("evidence"))
        return Response(serializers.CampaignRecordSerializer(record).data, status=status.HTTP_201_CREATED)
