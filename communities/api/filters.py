"""Filters by id only: a choice list would show what lies outside the user's scope."""

import django_filters as filters

from communities.models import Building, Community, Compound, Household, ManagementMode, Person, Street
from core.filters import FilterSet, IdFilter


class StreetFilter(FilterSet):
    district = IdFilter(field_name="district_id")

    class Meta:
        model = Street
        fields = ["district", "kind"]


class CommunityFilter(FilterSet):
    district = IdFilter(field_name="district_id")
    street = IdFilter(field_name="street_id")

    class Meta:
        model = Community
        fields = ["district", "street"]


class CompoundFilter(FilterSet):
    district = IdFilter(field_name="district_id")
    street = IdFilter(field_name="street_id")
    community = IdFilter(field_name="community_id")
    management_mode = filters.ChoiceFilter(choices=ManagementMode.choices)

    class Meta:
        model = Compound
        fields = ["district", "street", "community", "management_mode"]


class BuildingFilter(FilterSet):
    street = IdFilter(field_name="street_id")
    community = IdFilter(field_name="community_id")
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = Building
        fields = ["street", "community", "compound"]


class HouseholdFilter(FilterSet):
    street = IdFilter(field_name="street_id")
    community = IdFilter(field_name="community_id")
    compound = IdFilter(field_name="compound_id")
    building = IdFilter(field_name="building_id")

    class Meta:
        model = Household
        fields = ["street", "community", "compound", "building"]


class PersonFilter(FilterSet):
    community = IdFilter(field_name="community_id")
    household = IdFilter(field_name="residencies__household_id", distinct=True)

    class Meta:
        model = Person
        fields = ["community", "household"]
