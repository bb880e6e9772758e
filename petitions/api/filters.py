"""Filters of the petition list: ids as numbers, fixed enumerations as choices (they leak nothing)."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone

from core.filters import FilterSet, IdFilter, StrictBooleanFilter
from petitions.models import OPEN_STATES, EscalationLevel, Petition, Source, Status


class PetitionFilter(FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    level = filters.ChoiceFilter(choices=EscalationLevel.choices)
    source = filters.ChoiceFilter(choices=Source.choices)
    compound = IdFilter(field_name="compound_id")
    category = IdFilter(field_name="category_id")
    overdue = StrictBooleanFilter(method="filter_overdue")

    class Meta:
        model = Petition
        fields = ["status", "level", "source", "compound", "category", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_STATES, deadline__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
