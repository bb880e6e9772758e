"""The base of every API filter set: booleans, numbers and dates parsed strictly (a value other than true/false,
a decimal, or an empty value for a number or a date is a 400, where django-filter would drop the filter and answer
every row), foreign keys filtered by id (a choice list would check the id against every row of the platform)."""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from core.params import BIGINT_MAX


class StrictBooleanFormField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        if value is None:
            return None
        if value == "true":
            return True
        if value == "false":
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanFormField


class StrictIntegerFormField(forms.IntegerField):
    """A whole number; a parameter given empty (`?year=`) is refused rather than ignored."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer"})
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes decimals: `year=0.5` would filter nothing, not be refused)."""

    field_class = StrictIntegerFormField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT_MAX})
class IdFilter(IntegerFilter):
    """A row id: a positive integer within bigint, declared so in the schema."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class StrictDateFormField(forms.DateField):
    """A date; a parameter given empty (`?on=`) is refused rather than ignored (it would answer every day)."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DateFilter(django_filters.DateFilter):
    field_class = StrictDateFormField


_INTEGER = {"filter_class": IntegerFilter}


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.IntegerField: _INTEGER, models.SmallIntegerField: _INTEGER,
        models.PositiveIntegerField: _INTEGER, models.PositiveSmallIntegerField: _INTEGER,
        models.ForeignKey: {"filter_class": IdFilter, "extra": lambda f: {"field_name": f.attname}},
        models.DateField: {"filter_class": DateFilter},
    }


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend with this project's FilterSet as the base of the filter sets it builds from a view's
    `filterset_fields`, so those parse numbers and booleans as strictly as the hand-written ones."""

    filterset_base = FilterSet


def filterset_for(model, fields) -> type[FilterSet]:
    """A filter set of `model` on `fields` (foreign keys by id, numbers and booleans strictly, as above)."""
    meta = type("Meta", (), {"model": model, "fields": list(fields)})
    return type(f"{model.__name__}Filter", (FilterSet,), {"Meta": meta})
