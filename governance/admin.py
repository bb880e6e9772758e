from django.contrib import admin

from communities.admin_scope import POLICIES, ScopedAdmin
from governance.models import Body, BodyMember, PartyOrganization
from governance.policies import body_member_policy, body_policy, party_organization_policy

POLICIES.update({
    PartyOrganization: party_organization_policy, Body: body_policy, BodyMember: body_member_policy,
})


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdmin):
    policy = party_organization_policy
    list_display = ["name", "kind", "community", "compound", "secretary"]
    list_filter = ["kind"]
    search_fields = ["name", "community__name", "compound__name"]
    list_select_related = ["community", "compound", "secretary"]
    fields = ["community", "compound", "kind", "name", "secretary", "contact_phone"]
    autocomplete_fields = ["community", "compound", "secretary"]


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        return body_member_policy.visible(request.user).select_related("person")

    def has_add_permission(self, request, obj=None):
        return body_member_policy.can(request.user, "add")

    def has_change_permission(self, request, obj=None):
        return body_member_policy.can(request.user, "add")

    def has_delete_permission(self, request, obj=None):
        return body_member_policy.can(request.user, "add")


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    policy = body_policy
    list_display = ["compound", "kind", "formed_on", "term_ends_on"]
    list_filter = ["kind"]
    search_fields = ["compound__name"]
    list_select_related = ["compound"]
    fields = ["compound", "kind", "formed_on", "term_ends_on", "contact_phone"]
    autocomplete_fields = ["compound"]
    inlines = [BodyMemberInline]
