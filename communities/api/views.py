import datetime
from decimal import Decimal

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from communities import listcache, policies, selectors, services
from communities.api import filters, serializers
from core.api import ClientScopedRateThrottle
from core.tokens import issue_token, token_lifetime


def _plain(value):
    """What DRF's serializer fields would write for a plain column value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail whose rows come from the model's policy: out of scope is 404, never listed.

    Lists of plain columns are the hot path of the API: with `plain_list = True` a page is read with
    `.values()` and written as dicts, which costs a third of what serializing model instances does
    (benchmarks/README.md); a test keeps the two outputs equal. With `list_cache` naming a table whose writes
    change its version (migration communities 0009), the rendered pages are kept (communities.listcache)."""

    policy = None
    plain_list = False
    list_cache = None
    select_related: tuple = ()  # relations the serializer reads, joined in the same query

    def get_queryset(self):
        queryset = self.policy.visible(self.request.user).order_by(*self.ordering)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def list(self, request, *args, **kwargs):
        if not self.plain_list:
            return super().list(request, *args, **kwargs)
        key = listcache.page_key(self, request)
        if key is not None and (kept := listcache.cached_page(request, key)) is not None:
            return kept
        fields = self.get_serializer_class().Meta.fields
        rows = self.paginator.paginate_with_total(
            self.filter_queryset(self.get_queryset()).values(*fields), request, view=self
        )
        response = self.get_paginated_response([{k: _plain(v) for k, v in row.items()} for row in rows])
        if key is not None:
            listcache.keep_page(response, key)
        return response


class DistrictViewSet(ScopedViewSet):
    plain_list = True
    policy = policies.district_policy
    serializer_class = serializers.DistrictSerializer
    search_fields = ["name"]
    ordering = ["id"]


class StreetViewSet(ScopedViewSet):
    plain_list = True
    policy = policies.street_policy
    serializer_class = serializers.StreetSerializer
    filterset_class = filters.StreetFilter
    search_fields = ["name"]
    ordering = ["id"]


class CommunityViewSet(ScopedViewSet):
    plain_list = True
    policy = policies.community_policy
    serializer_class = serializers.CommunitySerializer
    filterset_class = filters.CommunityFilter
    search_fields = ["name"]
    ordering = ["id"]


class CompoundViewSet(ScopedViewSet):
    plain_list = True
    list_cache = "compound"
    policy = policies.compound_policy
    serializer_class = serializers.CompoundSerializer
    filterset_class = filters.CompoundFilter
    search_fields = ["name", "address"]
    ordering_fields = ["name", "household_count", "total_floor_area", "year_built"]
    ordering = ["id"]


class BuildingViewSet(ScopedViewSet):
    plain_list = True
    policy = policies.building_policy
    serializer_class = serializers.BuildingSerializer
    filterset_class = filters.BuildingFilter
    search_fields = ["name"]
    ordering = ["id"]


class HouseholdViewSet(ScopedViewSet):
    plain_list = True
    policy = policies.household_policy
    serializer_class = serializers.HouseholdSerializer
    filterset_class = filters.HouseholdFilter
    search_fields = ["room"]
    ordering = ["id"]


class PersonViewSet(ScopedViewSet):
    policy = policies.person_policy
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    search_fields = ["name"]
    ordering = ["id"]

    @extend_schema(request=serializers.RevealSerializer, responses=serializers.RevealResultSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The whole phone or ID number, for the roles that need it; every reveal is logged."""
        person = self.get_object()
        data = serializers.RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = services.person_reveal(
            actor=request.user, person=person, field=data.validated_data["field"],
            reason=data.validated_data["reason"],
        )
        return Response({"field": data.validated_data["field"], "value": value})


class MeView(APIView):
    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request):
        return Response(serializers.MeSerializer(selectors.me(request.user)).data)


class TokenView(APIView):
    """Exchanges a username and password for a new API token, valid for API_TOKEN_HOURS (the user's earlier
    token is revoked). Repeated failures lock the login (django-axes)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=serializers.TokenRequestSerializer, responses=serializers.TokenSerializer)
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # django-axes reads and marks the plain Django request.
        user = authenticate(request._request, **data.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {"detail": _("Too many failed login attempts. Please try again in 15 minutes.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            raise drf_serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with the username and password given.")]}
            )
        token = issue_token(user)
        return Response({"token": token.key, "expires": token.created + token_lifetime()})
