from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.models import Building, Community, Compound, District, Household, Person, Street
from core.api import CharField, IntegerField


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "name", "code", "office_phone"]


class StreetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "name", "kind", "district", "office_phone"]


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name", "district", "street", "office_phone"]


class CompoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Compound
        fields = [
            "id", "name", "address", "district", "street", "community", "management_mode", "household_count",
            "total_floor_area", "year_built",
        ]


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "name", "floors", "district", "street", "community", "compound"]


class HouseholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = ["id", "unit", "room", "floor_area", "district", "street", "community", "compound", "building"]


class PersonSerializer(serializers.ModelSerializer):
    """Phone and ID number are always masked here; the whole value needs the logged reveal action."""

    phone = CharField(source="phone_masked", read_only=True)
    id_card_number = CharField(source="id_card_masked", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "district", "community", "phone", "id_card_number"]


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("phone", _("phone")), ("id_card_number", _("ID card number"))])
    reason = CharField(max_length=200, required=False, allow_blank=True, default="")


class RevealResultSerializer(serializers.Serializer):
    field = CharField()
    value = CharField()


class ScopeSerializer(serializers.Serializer):
    type = CharField()
    id = IntegerField()
    name = CharField()


class RoleSerializer(serializers.Serializer):
    role = CharField()
    role_display = CharField()
    district = IntegerField()
    scope = ScopeSerializer()


class MeSerializer(serializers.Serializer):
    id = IntegerField()
    username = CharField()
    name = CharField()
    roles = RoleSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer):
    username = CharField(max_length=150)
    password = CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = CharField()
    expires = serializers.DateTimeField(help_text="When the token stops working (then 401 \"Token has expired.\").")
