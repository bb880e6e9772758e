"""The admin asks the same policies as the API and the portal: lists, counts, forms and choices are scoped."""

import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import ForeignKey
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from communities.models import boundary_deferred
from communities.scope import scope_for
from core.errors import REFUSALS, refusal_reason


def policy_for_model(model):
    """The policy of a model, found by the registry each app fills in its admin module."""
    return POLICIES.get(model)


POLICIES: dict = {}


def _scoped_foreign_key_choices(db_field, request, kwargs) -> dict:
    related_policy = policy_for_model(db_field.related_model)
    if related_policy is not None:
        kwargs["queryset"] = related_policy.visible(request.user)
    return kwargs


class ReadOnlyMixin:
    """A record written only by the services (a computed score, a posted entry, a ticked checklist): the admin shows
    it and offers no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInlineMixin:
    """Inlines offer and accept only the related objects the user sees, like the forms of ScopedAdmin:
    an id typed into an inline row must not link a person or a household from outside the scope.

    With `policy` set, the rows shown come from it and the rows may be edited by those it lets add."""

    policy = None
    list_select_related: tuple = ()

    def get_queryset(self, request):
        if self.policy is None:
            return super().get_queryset(request)
        return self.policy.visible(request.user).select_related(*self.list_select_related)

    def _may_edit(self, request) -> bool:
        return self.policy.can(request.user, "add")

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request) if self.policy else super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request) if self.policy else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request) if self.policy else super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **_scoped_foreign_key_choices(db_field, request, kwargs)
        )


class ScopedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose queryset, permissions and foreign-key choices all come from `policy`.

    Changelist lookups are limited to the list filters (and ids): any other lookup in the query string
    would let a user test guesses against columns they may not read, such as a whole phone number."""

    policy = None
    # Parent links that may not change once set: moving a node would need its descendants moved too.
    fixed_after_create: tuple = ()

    def get_queryset(self, request):
        # The districts' boundaries (up to 5 MB each) stay unread when a list follows its relations to a district.
        return boundary_deferred(self.policy.visible(request.user))

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
        return super().formfield_for_foreignkey(
            db_field, request, **_scoped_foreign_key_choices(db_field, request, kwargs)
        )

    def lookup_allowed(self, lookup, value, request=None):
        allowed = {"pk", "id"}
        for entry in self.list_filter:
            allowed.add(entry[0] if isinstance(entry, tuple | list) else getattr(entry, "parameter_name", entry))
        if self.date_hierarchy:
            allowed.add(self.date_hierarchy)
        if lookup.split("__")[0] not in allowed:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_filter(self, request):
        # A related filter lists only the values present in the user's rows, never every street of the
        # platform.
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and "__" not in entry and self.model._meta.get_field(entry).is_relation:
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's admin sends an unknown object's change and delete pages to the index with a message; the
        # platform's rule is one 404 for unknown and invisible objects, through every door (roles.md).
        raise Http404

    def history_view(self, request, object_id, extra_context=None):
        # Invisible objects answer 404 here too; models without django-simple-history use Django's log.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        if not getattr(self.model._meta, "simple_history_manager_attribute", None):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def save_formset(self, request, form, formset, change):
        # Each row of an inline must land inside the scope as well.
        for row in formset.forms:
            instance = row.instance
            policy = policy_for_model(type(instance))
            if row.has_changed() and policy is not None and not policy.can(request.user, "change", instance):
                raise PermissionDenied
        super().save_formset(request, form, formset, change)

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


class SuperuserObjectsAdmin:
    """For a model outside the scoped admin (accounts, API tokens, django-axes' logs): its object pages are the
    platform admins'. To anyone else every object page answers 404, whether the id exists or not — Django's
    admin would answer an existing id 403 and an unknown one a redirect, which tells ids apart."""

    def get_object(self, request, object_id, from_field=None):
        # Views of their own (the password page of an account) find no object either.
        if not request.user.is_superuser:
            return None
        return super().get_object(request, object_id, from_field)

    def _object_page(self, request, view, *args, **kwargs):
        if not request.user.is_superuser:
            raise Http404  # before Django asks for permission, which answers 403 for an existing object only
        return view(request, *args, **kwargs)

    def change_view(self, request, *args, **kwargs):
        return self._object_page(request, super().change_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._object_page(request, super().delete_view, *args, **kwargs)

    def history_view(self, request, *args, **kwargs):
        return self._object_page(request, super().history_view, *args, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


def close_unscoped_object_pages(site) -> None:
    """Puts SuperuserObjectsAdmin in front of every registered admin that is not scoped (including third-party
    ones: DRF's tokens, django-axes); called once the admin modules are loaded."""
    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if isinstance(model_admin, ScopedAdmin | SuperuserObjectsAdmin):
            continue
        site.unregister(model)
        site.register(model, type(cls.__name__, (SuperuserObjectsAdmin, cls), {"__module__": cls.__module__}))


def run_once(request, service) -> tuple[bool, object]:
    """Runs one service call for an admin view: (True, its result), or (False, None) with the refusal shown as
    an error message (a refused action is an answer on the page, never a 500)."""
    try:
        return True, service()
    except REFUSALS as exc:
        messages.error(request, refusal_reason(exc))
        return False, None


def run_for_each(modeladmin, request, objects, service, done: str) -> None:
    """Runs `service(obj)` for each selected object, each in its own transaction, and reports what was done
    and what was refused and why: one refused object neither stops the others nor leaves itself half-done,
    and the answer is a message, never a 500."""
    done_count, refusals = 0, []
    for obj in objects:
        try:
            with transaction.atomic():
                service(obj)
            done_count += 1
        except REFUSALS as exc:
            refusals.append(f"{obj}: {refusal_reason(exc)}")
    if done_count:
        modeladmin.message_user(request, f"{done} ({done_count})", messages.SUCCESS)
    for refusal in refusals:
        modeladmin.message_user(request, refusal, messages.ERROR)


@dataclasses.dataclass(frozen=True)
class Queue:
    """One line of the admin home's workbench: a count of rows waiting and the admin list that shows them."""

    key: str
    label: str
    count: int
    url: str
    alert: bool = False  # shown highlighted when not empty (overdue, late)


# The admin home's workbench: each app adds `(place, function)`, the function `(request) -> list[Queue]` giving its
# queues, as it fills POLICIES, so this bottom layer shows them without importing the apps above it. `place`
# orders the apps' groups on the page (the daily petition work first), whatever order the apps load in.
WORKBENCH: list = []


def workbench(request) -> list:
    """The queues of the user's admin home."""
    return [queue for _place, provider in sorted(WORKBENCH, key=lambda entry: entry[0])
            for queue in provider(request)]
