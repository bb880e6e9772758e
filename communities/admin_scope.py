"""The admin asks the same policies as the API and the portal: lists, counts, forms and choices are scoped."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import ForeignKey
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from communities.scope import scope_for


def policy_for_model(model):
    """The policy of a model, found by the registry each app fills in its admin module."""
    return POLICIES.get(model)


POLICIES: dict = {}


class ScopedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose queryset, permissions and foreign-key choices all come from `policy`."""

    policy = None
    # Parent links that may not change once set: moving a node would need its descendants moved too.
    fixed_after_create: tuple = ()

    def get_queryset(self, request):
        return self.policy.visible(request.user)

    def has_module_permission(self, request):
        return scope_for(request.user).is_staff_member

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).is_staff_member and (obj is None or self.policy.can(request.user, "view", obj))

    def has_add_permission(self, request, obj=None):
        return self.policy.can(request.user, "add")

    def has_change_permission(self, request, obj=None):
        return self.policy.can(request.user, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.policy.can(request.user, "delete", obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.extend(self.fixed_after_create)
        return fields

    def formfield_for_foreignkey(self, db_field: ForeignKey, request, **kwargs):
        related_policy = policy_for_model(db_field.related_model)
        if related_policy is not None:
            kwargs["queryset"] = related_policy.visible(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        policy, user = self.policy, request.user

        class ScopedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                instance = self.instance
                try:
                    if hasattr(instance, "derive_ancestors"):
                        instance.derive_ancestors()
                except ObjectDoesNotExist:
                    return  # a missing parent is already reported by its field
                if not policy.can(user, "change", instance):
                    self.add_error(None, _("This lies outside the part of the district you work in."))

        return ScopedForm

    def save_model(self, request, obj, form, change):
        # The object must land inside the editor's scope: a parent chosen from the visible ones is not
        # enough (a street office sees its district but may not add a street to it).
        if not self.policy.can(request.user, "change", obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
