from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.api.views import ScopedViewSet
from communities.policies import compound_policy
from core.errors import DomainError
from properties import policies, selectors, services
from properties.api import serializers

ZEROING_LEVELS = {"street": "street_id", "community": "community_id"}


class FirmViewSet(ScopedViewSet):
    """The district's firms with their register (public in the district)."""

    policy = policies.firm_policy
    serializer_class = serializers.FirmSerializer
    search_fields = ["name", "credit_code"]
    ordering = ["id"]


class ContractViewSet(ScopedViewSet):
    """Service contracts: the offices over the compound and the firm see them; their documents are uploaded here
    and checked like petition photos (size, type read from the content, the name matching it)."""

    policy = policies.contract_policy
    serializer_class = serializers.ContractSerializer
    filterset_fields = ["compound", "firm", "status"]
    ordering = ["id"]

    @extend_schema(methods=["GET"], responses=serializers.ContractDocumentSerializer(many=True), filters=False)
    @extend_schema(methods=["POST"], request={"multipart/form-data": serializers.ContractDocumentInSerializer},
                   responses={201: serializers.ContractDocumentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None,
            parser_classes=[MultiPartParser])
    def documents(self, request, pk=None):
        """The contract's documents; POST uploads one (the district centre)."""
        contract = self.get_object()
        if request.method == "GET":
            documents = policies.contract_document_policy.visible(request.user).filter(contract=contract)
            return Response(serializers.ContractDocumentSerializer(documents.order_by("pk"), many=True).data)
        data = serializers.ContractDocumentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.contract_document_add(actor=request.user, contract=contract,
                                                  title=data.validated_data["title"],
                                                  upload=data.validated_data["file"])
        return Response(serializers.ContractDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class MenuItemViewSet(ScopedViewSet):
    """Service menus (菜单式服务): each firm's commitments, for all its compounds or one."""

    policy = policies.menu_item_policy
    serializer_class = serializers.MenuItemSerializer
    filterset_fields = ["firm", "compound", "group"]
    ordering = ["id"]


class FallbackAssignmentViewSet(ScopedViewSet):
    """The zeroing of unmanaged compounds (清零): the street assigns a fallback firm or a custodian."""

    policy = policies.fallback_policy
    serializer_class = serializers.FallbackAssignmentSerializer
    ordering = ["id"]

    @extend_schema(request=serializers.FallbackAssignInSerializer, responses={201: serializers.FallbackAssignmentSerializer})
    def create(self, request):
        data = serializers.FallbackAssignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        firm_id = d.pop("firm")
        firm = None
        if firm_id is not None:
            firm = policies.firm_policy.visible(request.user).filter(pk=firm_id).first()
            if firm is None:
                raise DomainError(_("Choose one of the district's fallback firms."), field="firm")
        assignment = services.fallback_assign(actor=request.user, compound=compound, firm=firm, **d)
        return Response(serializers.FallbackAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ZeroingView(APIView):
    """The live zeroing count over the compounds the user sees, in all or per street or community."""

    @extend_schema(parameters=[OpenApiParameter("by", str, enum=list(ZEROING_LEVELS))],
                   responses=serializers.ZeroingRowSerializer(many=True))
    def get(self, request):
        by = request.query_params.get("by")
        if by is not None and by not in ZEROING_LEVELS:
            raise DomainError(_("Choose street or community."), field="by")
        compounds = compound_policy.visible(request.user).order_by()
        if by is None:
            return Response([{"id": None, **selectors.zeroing_figures(compounds)}])
        column = ZEROING_LEVELS[by]
        rows = selectors.zeroing_figures(compounds, by=column)
        return Response([{"id": row.pop(column), **row} for row in rows])
