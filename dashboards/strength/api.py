"""The strength index in the API (/api/v1/dashboards/strength/): each compound's index per day with its
dimensions, breakdown, ranks and change, under the same policy as the pages; the indicators with a district's
weights; and the district organization department's on-demand computation."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from communities.api.views import ScopedViewSet
from communities.models import District
from communities.scope import scope_for
from core.api import BoundedDateField, IdField
from dashboards.models import StrengthScore
from dashboards.strength import selectors, services
from dashboards.strength.policies import reads_index, strength_score_policy


class StrengthScoreSerializer(serializers.ModelSerializer):
    compound_name = serializers.CharField(source="compound.name", read_only=True)

    class Meta:
        model = StrengthScore
        fields = ["id", "district", "street", "community", "compound", "compound_name", "on", "score",
                  "dimensions", "breakdown", "rank_community", "rank_street", "rank_district", "previous_on",
                  "change", "computed_at"]


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()
    definition = serializers.CharField()
    source = serializers.CharField()
    direction = serializers.CharField()
    default_weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class ComputeSerializer(serializers.Serializer):
    district = IdField()
    on = BoundedDateField(required=False)


class StrengthViewSet(ScopedViewSet):
    """Compounds' strength index per day; filter by node (district, street, community, compound) and day."""

    policy = strength_score_policy
    serializer_class = StrengthScoreSerializer
    filterset_fields = ["district", "street", "community", "compound", "on"]
    ordering = ["-on", "rank_district", "compound_id"]
    select_related = ("compound",)

    def _district(self, district_id):
        """A district of the user's tenancy; 404 for any other."""
        district = District.objects.filter(pk=district_id, pk__in=scope_for(self.request.user).tenants).first()
        if district is None:
            raise Http404
        return district

    @extend_schema(parameters=[OpenApiParameter("district", OpenApiTypes.INT)],
                   responses=IndicatorSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def indicators(self, request):
        """Every indicator's dimension, definition, source, direction and weight (the district's, else the
        first of the user's)."""
        scope = scope_for(request.user)
        if not reads_index(scope):
            raise Http404
        district_id = request.query_params.get("district")
        if district_id is not None:
            district_id = self._district(IdField().to_internal_value(district_id)).pk
        else:
            district_id = min(scope.tenants) if scope.tenants else None
        return Response(IndicatorSerializer(selectors.indicator_table(district_id), many=True).data)

    @extend_schema(request=ComputeSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], filter_backends=[])
    def compute(self, request):
        """Computes the district's index now for a day (default today); the district organization department."""
        data = ComputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        district = self._district(data.validated_data["district"])
        on = data.validated_data.get("on")
        count = services.strength_compute(district=district, on=on, actor=request.user)
        return Response({"district": district.pk, "compounds": count}, status=status.HTTP_201_CREATED)
