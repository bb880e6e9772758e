"""Filters by id only: a choice list would show what lies outside the user's scope."""

import django_filters as filters

from communities.models import Building, Community, Compound, Household, ManagementMode, Person, Street


class StreetFilter(filters.FilterSet):
    district = filters.NumberFilter(field_name="district_id")

    class Meta:
        model = Street
        fields = ["district", "kind"]


class CommunityFilter(filters.FilterSet):
    district = filters.NumberFilter(field_name="district_id")
    street = filters.NumberFilter(field_name="street_id")

    class Meta:
        model = Community
        fields = ["district", "street"]


class CompoundFilter(filters.FilterSet):
    district = filters.NumberFilter(field_name="district_id")
    street = filters.NumberFilter(field_name="street_id")
    community = filters.NumberFilter(field_name="community_id")
    management_mode = filters.ChoiceFilter(choices=ManagementMode.choices)

    class Meta:
        model = Compound
        fields = ["district", "street", "community", "management_mode"]


class BuildingFilter(filters.FilterSet):
    street = filters.NumberFilter(field_name="street_id")
    community = filters.NumberFilter(field_name="community_id")
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = Building
        fields = ["street", "community", "compound"]


class HouseholdFilter(filters.FilterSet):
    street = filters.NumberFilter(field_name="street_id")
    community = filters.NumberFilter(field_name="community_id")
    compound = filters.NumberFilter(field_name="compound_id")
    building = filters.NumberFilter(field_name="building_id")

    class Meta:
        model = Household
        fields = ["street", "community", "compound", "building"]


class PersonFilter(filters.FilterSet):
    community = filters.NumberFilter(field_name="community_id")
    household = filters.NumberFilter(field_name="residencies__household_id", distinct=True)

    class Meta:
        model = Person
        fields = ["community", "household"]
