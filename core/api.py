"""API plumbing shared by every app: pagination, the id field, one exception handler."""

import copy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from django.db import models
from django.db.models import Count, Window
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from core.client_ip import client_ip
from core.errors import DomainError
from core.params import BIGINT_MAX, optional_int, parse_int


class Pagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`, 50 a page by default, `page_size` up to 200.

    Both parameters are parsed strictly (ASCII digits, in range): a malformed `page_size` is a 400 rather than
    silently the default, and a page past the last one (however large the number) is the 404 "Invalid page."."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # No list has more rows than a bigint counts: a page whose first row would lie beyond is past the last page.
    max_page = BIGINT_MAX // max_page_size

    def get_page_size(self, request):
        return optional_int(request.query_params, self.page_size_query_param, maximum=self.max_page_size) \
            or self.page_size

    def get_page_number(self, request, paginator=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        try:
            return parse_int(raw, name=self.page_query_param, maximum=self.max_page)
        except exceptions.ValidationError:
            raise NotFound(_("Invalid page.")) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            bounds = {"page": (1, self.max_page), "page_size": (1, self.max_page_size)}[parameter["name"]]
            parameter["schema"].update(minimum=bounds[0], maximum=bounds[1])
        return parameters

    def paginate_with_total(self, queryset, request, view=None) -> list:
        """One query for the page and the total: the count rides along as a window function, instead of
        the separate COUNT(*) that Django's paginator runs first. Falls back to COUNT(*) only for an empty
        page (to tell "no rows" from "past the last page")."""
        self.request = request
        size = self.get_page_size(request)
        number = self.get_page_number(request)
        offset = (number - 1) * size
        rows = list(queryset.annotate(_total=Window(Count("*")))[offset:offset + size])
        total = rows[0]["_total"] if rows else queryset.count()
        if not rows and number > 1:
            raise NotFound(_("Invalid page."))
        for row in rows:
            del row["_total"]
        paginator = self.django_paginator_class(queryset, size)
        paginator.__dict__["count"] = total  # Paginator.count is a cached_property: give it the total
        self.page = Page(rows, number, paginator)
        return rows


def _from_json(field) -> bool:
    """Whether the body the field reads was JSON; a form (multipart, or query parameters) sends every value as
    text, so there a number or a boolean arrives as a string."""
    return not isinstance(getattr(field.root, "initial_data", None), QueryDict)


class _JsonTyped:
    """Refuses a JSON value of another type (DRF would turn 0 into "0", "5" into 5, 1 into True): the schema
    says the type, and a request that breaks it is a 400."""

    json_types: tuple = ()

    def to_internal_value(self, data):
        if _from_json(self) and (not isinstance(data, self.json_types)
                                 or (isinstance(data, bool) and bool not in self.json_types)):
            self.fail("invalid")
        return super().to_internal_value(data)


class CharField(_JsonTyped, serializers.CharField):
    json_types = (str,)


class IntegerField(_JsonTyped, serializers.IntegerField):
    json_types = (int,)


class StrictBooleanField(_JsonTyped, serializers.BooleanField):
    """JSON true/false, or "true"/"false" in a form (not DRF's 1, "yes", "on"…)."""

    json_types = (bool,)
    TRUE_VALUES = {"true"}
    FALSE_VALUES = {"false"}
    NULL_VALUES = set()

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        return super().to_internal_value(data)


class IdField(IntegerField):
    """A row id in a request: a positive integer within PostgreSQL's bigint. A bound of the format, the same for
    every row (an absurd number is a 400, not a lookup); hand-written SQL (prepared statements type their
    parameters) would otherwise fail on it where the ORM finds no row."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


def _clone(field):
    """A declared field's copy for one serializer instance: its attributes copied, not its constructor run again.
    DRF deep-copies every declared field for every serializer instance by calling each field's __init__ anew; for
    the petition create that was 0.22 of the input's 0.5 ms (benchmarks/README.md). Attributes set at
    construction (validators, messages, choices) are only read while validating, so the copies may share them;
    what binding sets (name, parent, label, source) is the copy's own. A child field (ListField) is copied and
    hangs from the copy; a nested serializer is deep-copied as DRF does."""
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Field):
        clone.child = _clone(child)
        clone.child.parent = clone  # the rest of its binding (name "", source) was done on the declared one
    return clone


class InputSerializer(serializers.Serializer):
    """A plain Serializer for a hot request body: the same fields, validation and messages, with each instance's
    fields copied cheaply from the declared ones (`_clone`)."""

    def get_fields(self):
        return {name: _clone(field) for name, field in self._declared_fields.items()}


class InputModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer for request bodies: its generated fields take only their own JSON types."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField, models.TextField: CharField,
        models.IntegerField: IntegerField, models.PositiveIntegerField: IntegerField,
        models.PositiveSmallIntegerField: IntegerField, models.BooleanField: StrictBooleanField,
    }


# Dates a request may name: what a record of this platform can be about. A year like 0254 parses, and would be
# written back with the local mean time of 254 (+08:05:43): refused as a 400 instead.
YEAR_RANGE = (1900, 2100)
_YEAR_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-"


def _check_year(field, value):
    if not YEAR_RANGE[0] <= value.year <= YEAR_RANGE[1]:
        raise serializers.ValidationError(
            _("Give a date from %(first)s to %(last)s.") % {"first": YEAR_RANGE[0], "last": YEAR_RANGE[1]})
    return value


@extend_schema_field({"type": "string", "format": "date-time", "pattern": _YEAR_PATTERN})
class BoundedDateTimeField(serializers.DateTimeField):
    """A date and time in an API request, in the years YEAR_RANGE (declared in the schema as a pattern)."""

    def to_internal_value(self, value):
        return _check_year(self, super().to_internal_value(value))


@extend_schema_field({"type": "string", "format": "date", "pattern": _YEAR_PATTERN})
class BoundedDateField(serializers.DateField):
    """A date in an API request, in the years YEAR_RANGE."""

    def to_internal_value(self, value):
        return _check_year(self, super().to_internal_value(value))


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle keyed on the client's address as the trusted proxies give it (core.client_ip), the
    same address django-axes locks on: X-Forwarded-For from anyone else changes nothing."""

    def get_ident(self, request):
        return client_ip(request)


def exception_handler(exc, context):
    """Maps domain errors and Django's own exceptions to DRF answers, so no rule violation becomes a 500."""
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field: [exc.message]} if exc.field else {"detail": exc.message})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A refusal with no field is `{"non_field_errors": [...]}`, as DRF writes it for serializers: every error
        # body is an object (the schema says so).
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response

