"""Staff work here, scoped: every list, form and choice asks the model's policy."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import policies, services
from communities.admin_scope import POLICIES, ScopedAdmin, ScopedInlineMixin, run_once
from communities.forms import DistrictForm, PersonForm
from communities.geo import as_feature_collection
from communities.models import (
    REVEALABLE_FIELDS,
    Building,
    Community,
    Compound,
    Department,
    District,
    Household,
    Person,
    PersonalDataAccess,
    Residency,
    RoleAssignment,
    Street,
)

admin.site.site_header = gettext_lazy("Three-party governance platform")
admin.site.site_title = gettext_lazy("Three-party governance")
admin.site.index_title = gettext_lazy("Work area")

POLICIES.update({
    District: policies.district_policy,
    Street: policies.street_policy,
    Community: policies.community_policy,
    Compound: policies.compound_policy,
    Building: policies.building_policy,
    Household: policies.household_policy,
    Person: policies.person_policy,
    Residency: policies.residency_policy,
    Department: policies.department_policy,
    RoleAssignment: policies.role_assignment_policy,
    get_user_model(): policies.user_policy,
})


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    policy = policies.district_policy
    form = DistrictForm
    list_display = ["name", "code", "office_phone", "has_boundary"]
    search_fields = ["name", "code"]
    readonly_fields = ["boundary_summary"]

    def get_queryset(self, request):
        # Whether a boundary was uploaded, asked of the database: the list never reads the boundary itself.
        return super().get_queryset(request).annotate(
            boundary_uploaded=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField()))

    @admin.display(boolean=True, description=gettext_lazy("boundary"), ordering="boundary_uploaded")
    def has_boundary(self, obj):
        return obj.boundary_uploaded

    @admin.display(description=gettext_lazy("boundary uploaded"))
    def boundary_summary(self, obj):
        if not obj.boundary:
            return _("None yet")
        return _("%(n)s areas") % {"n": len(as_feature_collection(obj.boundary)["features"])}


@admin.register(Street)
class StreetAdmin(ScopedAdmin):
    policy = policies.street_policy
    list_display = ["name", "kind", "district", "office_phone"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]
    fixed_after_create = ("district",)


@admin.register(Community)
class CommunityAdmin(ScopedAdmin):
    policy = policies.community_policy
    list_display = ["name", "street", "office_phone"]
    list_filter = ["street"]
    search_fields = ["name", "street__name"]
    list_select_related = ["street"]
    fields = ["street", "name", "office_phone"]
    fixed_after_create = ("street",)


@admin.register(Compound)
class CompoundAdmin(ScopedAdmin):
    policy = policies.compound_policy
    list_display = ["name", "community", "street", "management_mode", "household_count", "total_floor_area"]
    list_filter = ["management_mode", "street"]
    search_fields = ["name", "address", "community__name"]
    list_select_related = ["community", "street"]
    fields = ["community", "name", "address", "household_count", "total_floor_area", "year_built",
              "management_mode"]
    fixed_after_create = ("community",)


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    policy = policies.building_policy
    list_display = ["name", "compound", "floors"]
    search_fields = ["name", "compound__name"]
    list_filter = ["street"]
    list_select_related = ["compound"]
    fields = ["compound", "name", "floors"]
    fixed_after_create = ("compound",)
    autocomplete_fields = ["compound"]


class ResidencyInline(ScopedInlineMixin, admin.TabularInline):
    model = Residency
    extra = 0
    autocomplete_fields = ["person", "household"]
    policy = policies.residency_policy
    list_select_related = ("person", "household__building")


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    policy = policies.household_policy
    list_display = ["__str__", "compound", "unit", "room", "floor_area"]
    search_fields = ["room", "building__name", "compound__name"]
    list_filter = ["street"]
    list_select_related = ["building__compound", "compound"]
    fields = ["building", "unit", "room", "floor_area"]
    fixed_after_create = ("building",)
    autocomplete_fields = ["building"]
    inlines = [ResidencyInline]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    policy = policies.person_policy
    form = PersonForm
    list_display = ["name", "phone_shown", "id_card_shown", "community"]
    search_fields = ["name"]
    list_select_related = ["community"]
    readonly_fields = ["reveal_links", "phone_shown", "id_card_shown"]
    autocomplete_fields = ["user", "community"]
    inlines = [ResidencyInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # A read-only page would print the raw values: show the masked ones instead.
            swap = {"phone": "phone_shown", "id_card_number": "id_card_shown"}
            fields = [swap.get(f, f) for f in fields]
        return fields

    @admin.display(description=gettext_lazy("phone"))
    def phone_shown(self, obj):
        return obj.phone_masked

    @admin.display(description=gettext_lazy("ID card number"))
    def id_card_shown(self, obj):
        return obj.id_card_masked

    @admin.display(description=gettext_lazy("whole numbers"))
    def reveal_links(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        # Buttons of the change form posted to the reveal view (with the form's CSRF token), as the petition's
        # call-back: a reveal is a logged action, never a link that a prefetch could follow.
        button = '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>'
        return format_html(
            f"{button} {button}",
            reverse("admin:communities_person_reveal", args=[obj.pk, "phone"]), _("Show the whole phone"),
            reverse("admin:communities_person_reveal", args=[obj.pk, "id_card_number"]),
            _("Show the whole ID number"),
        )

    def get_urls(self):
        return [
            path("<int:pk>/reveal/<str:field>/", self.admin_site.admin_view(self.reveal_view),
                 name="communities_person_reveal"),
            *super().get_urls(),
        ]

    def reveal_view(self, request, pk, field):
        """Shows one whole number once, as a message, and logs the reveal."""
        person = self.policy.get_visible(request.user, pk=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        done, value = run_once(request, lambda: services.person_reveal(
            actor=request.user, person=person, field=field, reason=_("on the person's staff page")))
        if done:
            messages.info(request, _("%(name)s: %(value)s (this view has been logged)") % {
                "name": person.name, "value": value,
            })
        return HttpResponseRedirect(reverse("admin:communities_person_change", args=[pk]))


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    policy = policies.department_policy
    list_display = ["name", "kind", "district", "office_phone"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    policy = policies.role_assignment_policy
    list_display = ["user", "role", "district", "street", "community", "compound", "firm", "department"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "district", "street", "community", "compound", "firm", "department"]
    fields = ["user", "role", "district", "street", "community", "compound", "firm", "department"]
    autocomplete_fields = ["user", "compound"]

    def save_model(self, request, obj, form, change):
        services.role_saved(actor=request.user, assignment=obj)

    def delete_model(self, request, obj):
        services.role_revoke(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.role_revoke(actor=request.user, assignment=assignment)


class RevealedFieldFilter(admin.SimpleListFilter):
    """The log's field filter with the fields' names, not their codes."""

    title = gettext_lazy("field")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        return list(REVEALABLE_FIELDS.items())

    def queryset(self, request, queryset):
        return queryset.filter(field=self.value()) if self.value() in REVEALABLE_FIELDS else queryset


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ScopedAdmin):
    policy = policies.personal_data_access_policy
    list_display = ["at", "actor", "person", "record", "field_shown", "reason_shown"]
    list_filter = [RevealedFieldFilter]
    list_select_related = ["actor", "person"]
    date_hierarchy = "at"

    def get_fields(self, request, obj=None):
        swap = {"field": "field_shown", "reason": "reason_shown"}
        return [swap.get(f, f) for f in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "field_shown", "reason_shown"]

    @admin.display(description=gettext_lazy("field"), ordering="field")
    def field_shown(self, obj):
        return obj.field_label

    @admin.display(description=gettext_lazy("reason"))
    def reason_shown(self, obj):
        # Reveals made on the staff pages before they gave a reason in words were logged with the code "admin".
        for code in (": admin", "：admin"):
            if obj.reason.endswith(code):
                return obj.reason[: -len(code)]
        return "—" if obj.reason in ("", "admin") else obj.reason


admin.site.unregister(Group)
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Accounts: platform admins manage them; staff see only the accounts of people and roles in their scope
    (so that choosing a user for a role or a person offers no one from elsewhere)."""

    def get_queryset(self, request):
        return policies.user_policy.visible(request.user).order_by("username")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        # Staff may look users up (autocomplete of the forms they fill), not open their account pages.
        return request.user.is_superuser or (obj is None and request.user.is_active and request.user.is_staff)

    def changelist_view(self, request, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
