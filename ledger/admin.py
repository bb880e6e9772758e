"""The ledgers in the admin: read-only pages scoped by the policies, for committees, firms, communities,
streets and the district centre; review, acceptance and payment are admin actions that call the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, ScopedAdmin, ScopedInlineMixin, run_for_each
from ledger import common, services
from ledger.models import (
    Account,
    CommonItem,
    FeeBill,
    FeePayment,
    FeeRelief,
    FundApplication,
    FundDocument,
    FundReview,
    Leg,
    MonthlyStatement,
    Period,
    Transaction,
)
from ledger.policies import (
    account_policy,
    common_item_policy,
    fee_bill_policy,
    fee_payment_policy,
    fee_relief_policy,
    fund_application_policy,
    fund_document_policy,
    fund_review_policy,
    leg_policy,
    monthly_statement_policy,
    period_policy,
    transaction_policy,
)

POLICIES.update({
    Account: account_policy, Transaction: transaction_policy, Leg: leg_policy, Period: period_policy,
    FundApplication: fund_application_policy, FundReview: fund_review_policy, FundDocument: fund_document_policy,
    FeeBill: fee_bill_policy, FeePayment: fee_payment_policy, FeeRelief: fee_relief_policy,
    CommonItem: common_item_policy, MonthlyStatement: monthly_statement_policy,
})


class ReadOnlyInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LegInline(ReadOnlyInline):
    model = Leg
    policy = leg_policy
    fields = readonly_fields = ["account", "amount"]
    list_select_related = ("account__household", "account__compound")


class ReviewInline(ReadOnlyInline):
    model = FundReview
    policy = fund_review_policy
    fields = readonly_fields = ["level", "outcome", "opinion", "actor", "at"]
    list_select_related = ("actor",)


class DocumentInline(ReadOnlyInline):
    model = FundDocument
    policy = fund_document_policy
    fields = readonly_fields = ["kind", "title", "uploaded_by", "uploaded_at"]
    list_select_related = ("uploaded_by",)


class LedgerAdmin(ScopedAdmin):
    """Nothing in the ledger is edited in a form: postings and reviews go through the services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(LedgerAdmin):
    policy = account_policy
    list_display = ["__str__", "compound", "kind", "balance"]
    list_filter = ["kind", "compound"]
    list_select_related = ["compound", "household__building"]
    search_fields = ["compound__name"]


@admin.register(Transaction)
class TransactionAdmin(LedgerAdmin):
    policy = transaction_policy
    list_display = ["__str__", "compound", "kind", "posted_on", "memo"]
    list_filter = ["kind", "compound"]
    list_select_related = ["compound"]
    date_hierarchy = "posted_on"
    inlines = [LegInline]


@admin.register(Period)
class PeriodAdmin(LedgerAdmin):
    policy = period_policy
    list_display = ["__str__", "compound", "status", "closed_at"]
    list_filter = ["status", "compound"]
    list_select_related = ["compound"]


@admin.register(FundApplication)
class FundApplicationAdmin(LedgerAdmin):
    policy = fund_application_policy
    list_display = ["project", "compound", "amount", "status", "is_emergency", "waiting_since", "disbursed"]
    list_filter = ["status", "is_emergency", "compound"]
    list_select_related = ["compound"]
    search_fields = ["project", "contractor"]
    inlines = [ReviewInline, DocumentInline]
    actions = ["approve_at_my_level", "pay"]

    @admin.action(description=_("Approve at my level of the review"))
    def approve_at_my_level(self, request, queryset):
        def approve(application):
            level = services.REVIEW_STEPS.get(application.status, (None,))[0]
            services.fund_application_review(actor=request.user, application=application, level=level,
                                             approve=True, opinion=str(_("Approved in the admin.")))

        run_for_each(self, request, queryset, approve, _("Approved"))

    @admin.action(description=_("Pay the accepted works from the fund"))
    def pay(self, request, queryset):
        run_for_each(self, request, queryset,
                     lambda application: services.fund_disburse(actor=request.user, application=application),
                     _("Paid"))


@admin.register(FeeBill)
class FeeBillAdmin(LedgerAdmin):
    policy = fee_bill_policy
    list_display = ["household", "year", "month", "floor_area", "rate", "amount"]
    list_filter = ["year", "month", "compound"]
    list_select_related = ["household__building"]


@admin.register(FeePayment)
class FeePaymentAdmin(LedgerAdmin):
    policy = fee_payment_policy
    list_display = ["receipt_no", "household", "amount", "paid_on"]
    list_filter = ["compound"]
    list_select_related = ["household__building"]
    search_fields = ["receipt_no"]


@admin.register(FeeRelief)
class FeeReliefAdmin(LedgerAdmin):
    policy = fee_relief_policy
    list_display = ["household", "amount", "reason", "created_at"]
    list_filter = ["compound"]
    list_select_related = ["household__building"]


@admin.register(CommonItem)
class CommonItemAdmin(LedgerAdmin):
    policy = common_item_policy
    list_display = ["description", "compound", "kind", "category", "amount", "occurred_on", "status"]
    list_filter = ["status", "kind", "category", "compound"]
    list_select_related = ["compound"]
    actions = ["approve"]

    @admin.action(description=_("Approve and book the selected items"))
    def approve(self, request, queryset):
        run_for_each(self, request, queryset,
                     lambda item: common.common_item_review(actor=request.user, item=item, approve=True),
                     _("Approved"))


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(LedgerAdmin):
    policy = monthly_statement_policy
    list_display = ["compound", "year", "month", "income", "expenses", "balance", "published_at"]
    list_filter = ["year", "compound"]
    list_select_related = ["compound"]
