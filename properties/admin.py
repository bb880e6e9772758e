from django.contrib import admin

from communities.admin_scope import POLICIES, ScopedAdmin, ScopedInlineMixin
from properties import services
from properties.models import Contract, Firm
from properties.policies import contract_policy, firm_policy

POLICIES.update({Firm: firm_policy, Contract: contract_policy})


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


@admin.register(Firm)
class FirmAdmin(ScopedAdmin):
    policy = firm_policy
    list_display = ["name", "district", "service_phone", "credit_code"]
    search_fields = ["name", "credit_code"]
    fields = ["district", "name", "credit_code", "service_phone"]
    fixed_after_create = ("district",)
    inlines = [ContractInline]

    def save_model(self, request, obj, form, change):
        services.firm_save(actor=request.user, firm=obj)


@admin.register(Contract)
class ContractAdmin(ScopedAdmin):
    policy = contract_policy
    list_display = ["firm", "compound", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["firm__name", "compound__name"]
    list_select_related = ["firm", "compound"]
    fields = ["firm", "compound", "starts_on", "ends_on", "status"]
    autocomplete_fields = ["compound"]

    def save_model(self, request, obj, form, change):
        services.contract_save(actor=request.user, contract=obj)
