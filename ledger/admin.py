"""The ledgers in the admin: read-only pages scoped by the policies, for committees, firms, communities,
streets and the district centre; review, acceptance and payment are admin actions that call the services."""


from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, ReadOnlyMixin, ScopedAdmin, ScopedInlineMixin, run_for_each
from core.errors import REFUSALS, refusal_reason
from ledger import common, fees, services
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
    Transaction,
)
from ledger.policies import (
    account_policy,
    common_item_policy,
    fee_bill_policy,
    fee_import_policy,
    fee_payment_policy,
    fee_relief_policy,
    fund_application_policy,
    fund_document_policy,
    fund_review_policy,
    leg_policy,
    monthly_statement_policy,
    payment_compounds,
    period_policy,
    transaction_policy,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

POLICIES.update({
    Account: account_policy, Transaction: transaction_policy, Leg: leg_policy, Period: period_policy,
    FundApplication: fund_application_policy, FundReview: fund_review_policy, FundDocument: fund_document_policy,
    FeeBill: fee_bill_policy, FeePayment: fee_payment_policy, FeeImport: fee_import_policy,
    FeeRelief: fee_relief_policy, CommonItem: common_item_policy, MonthlyStatement: monthly_statement_policy,
})


class ReadOnlyInline(ReadOnlyMixin, ScopedInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False


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


class LedgerAdmin(ReadOnlyMixin, ScopedAdmin):
    """Nothing in the ledger is edited in a form: postings and reviews go through the services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]


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


class FeeImportForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("compound"), queryset=None)
    file = forms.FileField(label=_("spreadsheet (.xlsx)"),
                           help_text=_("Columns: receipt number, building, unit, room, amount, paid on (YYYY-MM-DD); "
                                       "the first row is the header. At most 10 MB."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = payment_compounds(user)


@admin.register(FeePayment)
class FeePaymentAdmin(LedgerAdmin):
    """Payments; the firm imports its spreadsheet here, watches the import's progress and downloads the rows
    it refused."""

    policy = fee_payment_policy
    list_display = ["receipt_no", "household", "amount", "paid_on"]
    list_filter = ["compound"]
    list_select_related = ["household__building"]
    search_fields = ["receipt_no"]
    change_list_template = "admin/ledger/feepayment/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="ledger_feepayment_import"),
            path("import/<int:pk>/", view(self.import_status_view), name="ledger_feepayment_import_status"),
            path("import/<int:pk>/progress/", view(self.import_progress_view),
                 name="ledger_feepayment_import_progress"),
            path("import/<int:pk>/errors.xlsx", view(self.import_errors_view),
                 name="ledger_feepayment_import_errors"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    def import_view(self, request):
        """The upload form (compounds whose payments the user records) and the user's latest imports."""
        if not payment_compounds(request.user).exists():
            raise PermissionDenied
        form = FeeImportForm(request.POST or None, request.FILES or None, user=request.user)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    job = fees.fee_import_start(actor=request.user, compound=form.cleaned_data["compound"],
                                                file=form.cleaned_data["file"])
                except REFUSALS as exc:
                    form.add_error("file" if isinstance(exc, ValidationError) else None, refusal_reason(exc))
                else:
                    return HttpResponseRedirect(reverse("admin:ledger_feepayment_import_status", args=[job.pk]))
            status = 400
        recent = (fee_import_policy.visible(request.user).filter(uploaded_by=request.user)
                  .select_related("compound").order_by("-created_at", "-pk")[:10])
        return TemplateResponse(request, "admin/ledger/feepayment/import.html", self._context(
            request, _("Import fee payments from a spreadsheet"), form=form, recent=recent), status=status)

    def import_status_view(self, request, pk):
        job = fee_import_policy.get_visible(request.user, pk=pk)
        return TemplateResponse(request, "admin/ledger/feepayment/import_status.html", self._context(
            request, _("Import of %(compound)s") % {"compound": job.compound}, job=job))

    def import_progress_view(self, request, pk):
        """The progress panel alone, which the status page polls (htmx) until the import has finished."""
        job = fee_import_policy.get_visible(request.user, pk=pk)
        return TemplateResponse(request, "admin/ledger/feepayment/_import_progress.html", {"job": job})

    def import_errors_view(self, request, pk):
        """The refused rows as a workbook: row number and why, to correct in the firm's sheet and import again."""
        job = fee_import_policy.get_visible(request.user, pk=pk)
        response = HttpResponse(fees.refused_rows_workbook(job), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="fee-import-{job.pk}-errors.xlsx"'
        return response


@admin.register(FeeImport)
class FeeImportAdmin(LedgerAdmin):
    policy = fee_import_policy
    list_display = ["compound", "uploaded_by", "created_at", "status", "total", "created", "unchanged"]
    list_filter = ["status", "compound"]
    list_select_related = ["compound", "uploaded_by"]


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
