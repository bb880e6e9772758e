from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import IdField
from properties.models import Contract, ContractDocument, FallbackAssignment, Firm, ServiceMenuItem


class FirmSerializer(serializers.ModelSerializer):
    class Meta:
        model = Firm
        fields = ["id", "district", "name", "credit_code", "qualification", "registered_address", "service_phone",
                  "party_member_staff", "is_fallback"]


class MenuItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceMenuItem
        fields = ["id", "firm", "compound", "group", "title", "standard", "price", "response_hours"]


class FallbackAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FallbackAssignment
        fields = ["id", "compound", "mode", "firm", "custodian", "startup_money", "zeroed_on", "note"]


class FallbackAssignInSerializer(serializers.Serializer):
    compound = IdField()
    mode = serializers.ChoiceField(choices=[(m.value, m.label) for m in FallbackAssignment.MODES])
    firm = IdField(required=False, allow_null=True, default=None)
    custodian = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    startup_money = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    zeroed_on = serializers.DateField(required=False, allow_null=True, default=None)
    contract_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ZeroingRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    compounds = serializers.IntegerField()
    unmanaged = serializers.IntegerField()
    professional = serializers.IntegerField()
    zeroed = serializers.IntegerField()




class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = ["id", "firm", "compound", "counterpart", "service_grade", "starts_on", "ends_on", "status",
                  "fee_standard", "may_end_early_since"]


class ContractDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Where the file is downloaded, with the same login."))

    class Meta:
        model = ContractDocument
        fields = ["id", "contract", "title", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("contract-document", args=[obj.pk])


class ContractDocumentInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    file = serializers.FileField(help_text=_("PDF, JPEG or PNG, at most 20 MB; the type is read from the content."))
