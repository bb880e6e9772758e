from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import IdField
from ledger.models import (
    Account,
    CommonItem,
    FeeBill,
    FeeImport,
    FeePayment,
    FeeRelief,
    FundApplication,
    FundDocument,
    FundReview,
    Leg,
    MonthlyStatement,
    Period,
    Shortfall,
    Transaction,
)


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "compound", "household", "kind", "balance"]


class EntrySerializer(serializers.ModelSerializer):
    """One line of an account's history, in the account's natural direction (a deposit adds to a fund)."""

    posted_on = serializers.DateField(source="transaction.posted_on")
    kind = serializers.CharField(source="transaction.kind")
    memo = serializers.CharField(source="transaction.memo")
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Leg
        fields = ["id", "transaction", "posted_on", "kind", "memo", "amount"]

    def get_amount(self, leg) -> str:
        return str(leg.amount * leg.account.sign)


class LegSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leg
        fields = ["account", "amount"]


class TransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = ["id", "compound", "period", "kind", "posted_on", "memo", "reverses", "application"]


class TransactionDetailSerializer(TransactionSerializer):
    legs = LegSerializer(many=True, read_only=True)

    class Meta(TransactionSerializer.Meta):
        fields = [*TransactionSerializer.Meta.fields, "legs"]


class ReverseSerializer(serializers.Serializer):
    memo = serializers.CharField(max_length=200)


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "compound", "year", "month", "status", "closed_at"]


class FundReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundReview
        fields = ["level", "outcome", "opinion", "at"]


class FundDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundDocument
        fields = ["id", "kind", "title", "uploaded_at"]


class ShortfallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shortfall
        fields = ["household", "amount"]


class FundApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundApplication
        fields = ["id", "compound", "project", "amount", "contractor", "applicant", "is_emergency", "status",
                  "decision", "waiting_since", "published_at", "accepted_at", "disbursed", "created_at"]


class FundApplicationDetailSerializer(FundApplicationSerializer):
    reviews = FundReviewSerializer(many=True, read_only=True)
    documents = FundDocumentSerializer(many=True, read_only=True)
    shortfalls = ShortfallSerializer(many=True, read_only=True)

    class Meta(FundApplicationSerializer.Meta):
        fields = [*FundApplicationSerializer.Meta.fields, "description", "quotes", "acceptance_note",
                  "buildings", "households", "reviews", "documents", "shortfalls"]


class FundApplicationInSerializer(serializers.Serializer):
    compound = IdField()
    project = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    contractor = serializers.CharField(max_length=200)
    applicant = serializers.ChoiceField(choices=FundApplication.Applicant.choices)
    buildings = serializers.ListField(child=IdField(), allow_empty=False, max_length=500)
    households = serializers.ListField(child=IdField(), required=False, default=list, max_length=5000)
    quotes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    decision = IdField(required=False, allow_null=True, default=None)
    is_emergency = serializers.BooleanField(required=False, default=False)


class ReviewInSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=FundReview.Level.choices)
    approve = serializers.BooleanField()
    opinion = serializers.CharField(max_length=2000)


class DocumentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FundDocument.Kind.choices)
    file = serializers.FileField(max_length=200, help_text=_("A quote, a document or a photo, at most 10 MB."))
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AcceptInSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class FeeBillSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeBill
        fields = ["id", "compound", "household", "year", "month", "floor_area", "rate", "amount"]


class FeePaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeePayment
        fields = ["id", "compound", "household", "receipt_no", "amount", "paid_on"]


class FeeReliefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeRelief
        fields = ["id", "compound", "household", "amount", "reason", "created_at"]


class FeeImportInSerializer(serializers.Serializer):
    compound = IdField()
    file = serializers.FileField(max_length=200)


class RefusedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The row's number in the sheet (the header is row 1)."))
    message = serializers.CharField(help_text=_("Why the row was not recorded."))


class FeeImportSerializer(serializers.ModelSerializer):
    """An import of the firm's payment spreadsheet: how far the task has come, what it recorded and which rows it
    refused and why."""

    percent = serializers.IntegerField(read_only=True)
    errors = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=_("Where the import's progress is read."))
    errors_url = serializers.SerializerMethodField(
        help_text=_("Where the refused rows download as an Excel workbook, with the same login."))

    class Meta:
        model = FeeImport
        fields = ["id", "compound", "status", "total", "processed", "percent", "created", "unchanged", "errors",
                  "failure", "created_at", "finished_at", "url", "errors_url"]

    @extend_schema_field(RefusedRowSerializer(many=True))
    def get_errors(self, obj) -> list:
        return [{"row": row, "message": message} for row, message in obj.errors]

    def get_url(self, obj) -> str:
        return reverse("ledger-fee-import-detail", args=[obj.pk])

    def get_errors_url(self, obj) -> str:
        return reverse("ledger-fee-import-refused-rows", args=[obj.pk])


class CommonItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommonItem
        fields = ["id", "compound", "kind", "category", "amount", "occurred_on", "description", "status",
                  "reviewed_at", "review_note", "transaction"]


class MonthlyStatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyStatement
        fields = ["id", "compound", "year", "month", "income", "expenses", "balance", "lines", "published_at"]


# --- the inputs of the bookkeeping, fee and common-part actions -------------------------------------------------

def amount_field(**kwargs):
    """Yuan with at most two decimals (fen), above zero: a 400 with the field's message for anything else."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), **kwargs)


class MonthInSerializer(serializers.Serializer):
    compound = IdField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class DepositInSerializer(serializers.Serializer):
    """A deposit into a household's fund: an amount, or a rate per m² of its floor area (exactly one)."""

    household = IdField()
    amount = amount_field(required=False, allow_null=True, default=None)
    rate = amount_field(required=False, allow_null=True, default=None)
    posted_on = serializers.DateField(required=False, allow_null=True, default=None)
    memo = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class InterestInSerializer(serializers.Serializer):
    compound = IdField()
    amount = amount_field()
    posted_on = serializers.DateField(required=False, allow_null=True, default=None)
    memo = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class FeePaymentInSerializer(serializers.Serializer):
    household = IdField()
    receipt_no = serializers.CharField(max_length=40)
    amount = amount_field()
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class FeeReliefInSerializer(serializers.Serializer):
    household = IdField()
    amount = amount_field()
    reason = serializers.CharField(max_length=200)


class CommonItemInSerializer(serializers.Serializer):
    compound = IdField()
    kind = serializers.ChoiceField(choices=CommonItem.Kind.choices)
    category = serializers.ChoiceField(choices=CommonItem.Category.choices)
    amount = amount_field()
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=200)


class CommonReviewInSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
