from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, ScopedAdmin, ScopedInlineMixin
from core.errors import DomainError
from properties import choices, services
from properties.documents import validate_document
from properties.models import Contract, ContractDocument, FallbackAssignment, Firm, ServiceMenuItem
from properties.policies import (
    contract_document_policy,
    contract_policy,
    fallback_policy,
    firm_policy,
    menu_item_policy,
)

POLICIES.update({Firm: firm_policy, Contract: contract_policy, ContractDocument: contract_document_policy,
                 ServiceMenuItem: menu_item_policy, FallbackAssignment: fallback_policy})


class ContractInline(ScopedInlineMixin, admin.TabularInline):
    model = Contract
    extra = 0
    fields = ["compound", "starts_on", "ends_on", "status"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return contract_policy.visible(request.user).select_related("compound")


class DocumentForm(forms.ModelForm):
    """A new document of the contract, checked as the API checks it (properties.documents)."""

    class Meta:
        model = ContractDocument
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and not self.instance.pk:
            try:
                validate_document(upload)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return upload


class DocumentInline(ScopedInlineMixin, admin.TabularInline):
    """The contract's files: listed, and added by those who manage the contract's documents; an upload is
    checked like a petition's photo (size, the type read from the content, the name matching it)."""

    model = ContractDocument
    policy = contract_document_policy
    form = DocumentForm
    extra = 0
    fields = ["title", "file", "content_type", "size", "uploaded_at", "download"]
    readonly_fields = ["content_type", "size", "uploaded_at", "download"]

    @admin.display(description=_("download"))
    def download(self, obj):
        # The file through its scoped view (the storage's own URL is not served).
        if not obj or not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("contract-document", args=[obj.pk]), _("Download"))

    def has_change_permission(self, request, obj=None):
        return False  # a document is replaced by a new one, never edited

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Firm)
class FirmAdmin(ScopedAdmin):
    policy = firm_policy
    list_display = ["name", "district", "qualification", "service_phone", "credit_code", "is_fallback"]
    list_filter = ["qualification", "is_fallback"]
    search_fields = ["name", "credit_code"]
    fields = ["district", "name", "credit_code", "qualification", "registered_address", "service_phone",
              "party_member_staff", "is_fallback"]
    fixed_after_create = ("district",)
    inlines = [ContractInline]

    def save_model(self, request, obj, form, change):
        services.firm_save(actor=request.user, firm=obj)


@admin.register(Contract)
class ContractAdmin(ScopedAdmin):
    policy = contract_policy
    list_display = ["firm", "compound", "counterpart", "starts_on", "ends_on", "status", "may_end_early_since"]
    list_filter = ["status", "counterpart"]
    search_fields = ["firm__name", "compound__name"]
    list_select_related = ["firm", "compound"]
    fields = ["firm", "compound", "counterpart", "service_grade", "starts_on", "ends_on", "status",
              "may_end_early_since"]
    readonly_fields = ["may_end_early_since"]
    autocomplete_fields = ["compound"]
    inlines = [DocumentInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "firm" and field is not None:
            # Five-star and red-listed firms first (properties.choices), their stars beside their names.
            field.queryset = choices.ordered_firms(field.queryset)
            field.label_from_instance = choices.firm_label
        return field

    def save_model(self, request, obj, form, change):
        services.contract_save(actor=request.user, contract=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ContractDocument:
            return super().save_formset(request, form, formset, change)
        # New documents only: the service checks, stores and records who uploaded (the admin's log reads the
        # formset's lists of what was saved).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row.has_changed() and not row.instance.pk:
                formset.new_objects.append(services.contract_document_add(
                    actor=request.user, contract=form.instance, title=row.cleaned_data["title"],
                    upload=row.cleaned_data["file"]))
        return None


@admin.register(ServiceMenuItem)
class ServiceMenuItemAdmin(ScopedAdmin):
    policy = menu_item_policy
    list_display = ["title", "firm", "group", "compound", "price", "response_hours"]
    list_filter = ["group"]
    search_fields = ["title", "firm__name"]
    list_select_related = ["firm", "compound"]
    fields = ["firm", "compound", "group", "title", "standard", "price", "response_hours"]
    autocomplete_fields = ["compound"]

    def save_model(self, request, obj, form, change):
        services.menu_item_save(actor=request.user, item=obj)


class FallbackAssignmentForm(forms.ModelForm):
    """The street zeroes an unmanaged compound: a fallback firm (with the end of its contract with the street)
    or a custodian, and the start-up money; the service's rules answer as field errors."""

    contract_ends_on = forms.DateField(label=_("fallback contract ends on"), required=False,
                                       help_text=_("For a fallback firm: the end of its contract with the street."))

    class Meta:
        model = FallbackAssignment
        fields = ["compound", "mode", "firm", "custodian", "startup_money", "zeroed_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "zeroed_on" in self.fields:
            self.fields["zeroed_on"].initial = timezone.localdate

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        compound = self.cleaned_data.get("compound")
        if compound is None or set(self.errors) - {NON_FIELD_ERRORS}:
            return
        # The place the scoped form checks the street's reach against.
        self.instance.district_id, self.instance.street_id, self.instance.community_id = (
            compound.district_id, compound.street_id, compound.community_id)
        try:
            services.fallback_check(self.instance)
        except DomainError as error:
            # The service's reason, on its field, says more than the database constraint's name would.
            self._errors.pop(NON_FIELD_ERRORS, None)
            self.add_error(error.field if error.field in self.fields else None, error.message)


@admin.register(FallbackAssignment)
class FallbackAssignmentAdmin(ScopedAdmin):
    """The zeroing (清零): the street office (or the district centre) assigns an unmanaged compound of its own to
    a fallback firm or a custodian with the start-up money; the record is kept as it was made."""

    policy = fallback_policy
    form = FallbackAssignmentForm
    list_display = ["compound", "mode", "firm", "custodian", "startup_money", "zeroed_on"]
    list_filter = ["mode"]
    list_select_related = ["compound", "firm"]
    fields = ["compound", "mode", "firm", "custodian", "startup_money", "zeroed_on", "contract_ends_on", "note"]
    autocomplete_fields = ["compound"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [f for f in self.fields if f != "contract_ends_on"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [f for f in self.fields if f != "contract_ends_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "firm" and field is not None:
            field.queryset = field.queryset.filter(is_fallback=True)
        return field

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        assignment = services.fallback_assign(
            actor=request.user, compound=obj.compound, mode=obj.mode, startup_money=obj.startup_money,
            firm=obj.firm, custodian=obj.custodian, zeroed_on=obj.zeroed_on, note=obj.note,
            contract_ends_on=form.cleaned_data.get("contract_ends_on"))
        obj.pk = assignment.pk
