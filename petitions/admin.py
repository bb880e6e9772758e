"""Staff screens for petitions: scoped by the same policies; status changes only through the services — bulk
accept on the work queue, and on each petition's page a panel of the actions the user may take now and, below
the form, its record (timeline, whistles, merged duplicates) for everyone who may see it."""

import dataclasses
from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.admin_scope import POLICIES, WORKBENCH, Queue, ScopedAdmin, run_for_each, run_once
from communities.masking import mask_phone
from communities.policies import department_policy
from communities.scope import scope_for
from core.errors import DomainError
from petitions import attachments, commissioner, forms, queues, selectors, services
from petitions.models import OPEN_STATES, Category, DepartmentLimit, Petition, Whistle
from petitions.policies import (
    RECORDER_ROLES,
    category_policy,
    department_limit_policy,
    petition_policy,
    whistle_policy,
)

POLICIES.update({Category: category_policy, DepartmentLimit: department_limit_policy, Petition: petition_policy,
                 Whistle: whistle_policy})


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    policy = category_policy
    list_display = ["name", "code", "district", "routing", "department", "accept_hours", "resolve_hours",
                    "department_hours", "is_active"]
    list_filter = ["routing", "is_active"]
    search_fields = ["name", "code"]


@admin.register(DepartmentLimit)
class DepartmentLimitAdmin(ScopedAdmin):
    policy = department_limit_policy
    list_display = ["department", "category", "answer_hours"]
    exclude = ["district"]


@dataclasses.dataclass(frozen=True)
class Handling:
    """One action of the handling panel: its button, its form and the service it calls."""

    label: str
    form: type
    call: Callable  # (actor, petition, cleaned data) -> None
    departments: bool = False  # the form offers the district's departments
    originals: bool = False  # the form offers the open petitions this one may repeat


HANDLING = {
    "accept": Handling(gettext_lazy("Accept"), forms.NoteForm,
                       lambda actor, p, d: services.petition_accept(actor=actor, petition=p, **d)),
    "start": Handling(gettext_lazy("Start work"), forms.NoteForm,
                      lambda actor, p, d: services.petition_start(actor=actor, petition=p, **d)),
    "reply": Handling(gettext_lazy("Send the reply"), forms.ReplyForm,
                      lambda actor, p, d: services.petition_reply(actor=actor, petition=p, **d)),
    "resolve": Handling(gettext_lazy("Mark as resolved"), forms.ResolveForm,
                        lambda actor, p, d: services.petition_resolve(actor=actor, petition=p, **d)),
    "reject": Handling(gettext_lazy("Reject"), forms.RejectForm,
                       lambda actor, p, d: services.petition_reject(actor=actor, petition=p, **d)),
    "transfer": Handling(gettext_lazy("Transfer"), forms.TransferForm,
                         lambda actor, p, d: services.petition_transfer(actor=actor, petition=p, **d),
                         departments=True),
    "whistle": Handling(gettext_lazy("Blow the whistle"), forms.WhistleForm,
                        lambda actor, p, d: services.petition_whistle(actor=actor, petition=p, **d),
                        departments=True),
    "answer": Handling(gettext_lazy("Acknowledge or answer the call"), forms.AnswerForm,
                       lambda actor, p, d: services.whistle_answer(actor=actor, petition=p, **d)),
    "merge": Handling(gettext_lazy("Merge into the petition it repeats"), forms.MergeForm,
                      lambda actor, p, d: services.petition_merge(actor=actor, duplicate=p, original=d["original"]),
                      originals=True),
    "urge": Handling(gettext_lazy("Urge the handler"), forms.UrgeForm,
                     lambda actor, p, d: commissioner.petition_urge(actor=actor, petition=p, **d)),
    "note": Handling(gettext_lazy("Add a note"), forms.FollowUpNoteForm,
                     lambda actor, p, d: commissioner.petition_add_note(actor=actor, petition=p, **d)),
    "escalate": Handling(gettext_lazy("Escalate to the community"), forms.EscalateForm,
                         lambda actor, p, d: commissioner.petition_escalate(actor=actor, petition=p, **d)),
}


def _handling_form(name, user, petition, data=None, files=None):
    kwargs = {}
    if HANDLING[name].departments:
        # Only the petition's district's departments, as the department policy lets this user see them.
        kwargs["departments"] = department_policy.visible(user).filter(district_id=petition.district_id)
    if HANDLING[name].originals:
        kwargs["originals"] = selectors.possible_originals(user, petition)
    return HANDLING[name].form(data, files, prefix=name, **kwargs)


def handling_actions(user, petition) -> list[str]:
    """The panel's actions: those of `selectors.available_actions` that have a form here."""
    return [name for name in selectors.available_actions(user, petition) if name in HANDLING]


class QueueFilter(admin.SimpleListFilter):
    """The workbench's queues as a filter of the list (petitions.queues): its links land here."""

    title = gettext_lazy("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(key, queues.QUEUES[key]) for key in queues.queues_for(request.user)]

    def queryset(self, request, queryset):
        if self.value() in queues.QUEUES:
            return queryset.filter(queues.queue_q(self.value(), request.user))
        return queryset


def petition_queues(request) -> list[Queue]:
    """The admin home's petition queues of the user, each a link to the list filtered by it."""
    counts = queues.queue_counts(request.user)
    url = reverse("admin:petitions_petition_changelist")
    return [Queue(key, str(queues.QUEUES[key]), n, f"{url}?queue={key}", alert=key == "overdue")
            for key, n in counts.items()]


WORKBENCH.append((10, petition_queues))

# The work queue's order: open petitions first, soonest deadline first; closed ones (no deadline) last. Said
# explicitly (NULLS LAST), because SQLite puts nulls first and PostgreSQL last.
WORK_QUEUE_ORDER = [
    Case(When(status__in=OPEN_STATES, then=Value(0)), default=Value(1)).asc(),
    F("deadline").asc(nulls_last=True),
    F("pk").desc(),
]


@admin.register(Petition)
class PetitionAdmin(ScopedAdmin):
    """The work queue: open ones first, soonest deadline first, overdue ones highlighted."""

    policy = petition_policy
    list_display = ["id", "category", "compound", "status", "level", "handler_kind", "deadline_shown",
                    "source", "created_at"]
    list_filter = [QueueFilter, "status", "level", "source", "handler_kind"]
    search_fields = ["description", "external_ref"]
    ordering = WORK_QUEUE_ORDER
    list_select_related = ["category", "compound"]
    actions = ["accept_selected"]
    readonly_fields = [*(f.name for f in Petition._meta.fields if f.name not in ("reporter_phone",)),
                       "reporter_phone_shown", "reporter_phone_call_back", "photos"]
    exclude = ["reporter_phone"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        hidden = {"reporter_phone_shown", "reporter_phone_call_back"}
        if obj is not None and not petition_policy.sees_reporter(request.user, obj):
            hidden |= {"reporter", "reporter_name"}
            if obj.recorded_by_id == obj.reporter_id:
                hidden.add("recorded_by")  # a resident's own report is recorded by the resident
        elif obj is not None:
            # The masked number for everyone who sees the reporter; with the call-back button for those who
            # handle the petition (display methods get no request, so the choice is made here).
            hidden.discard("reporter_phone_call_back" if petition_policy.can(request.user, "call_back", obj)
                           else "reporter_phone_shown")
        fields = [f for f in fields if f not in hidden and f != "photos"]
        # The photos beside the description they show, not below the bookkeeping fields.
        at = fields.index("description") + 1 if "description" in fields else len(fields)
        return [*fields[:at], "photos", *fields[at:]]

    @admin.display(description=gettext_lazy("photos"))
    def photos(self, obj):
        """Thumbnails of the reporter's and the handler's photos, each opening the photo (the scoped view)."""
        shown = [a for a in obj.attachments.all() if a.content_type in attachments.INLINE_TYPES]
        if not shown:
            return "—"
        return format_html_join(
            " ", '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" class="petition-photo" '
                 'width="96"></a>',
            ((attachments.photo_url(a), attachments.thumbnail_url(a),
              _("photo of the reply or resolution") if a.event_id else _("photo of the report")) for a in shown),
        )

    @admin.display(description=gettext_lazy("reporter's phone"))
    def reporter_phone_shown(self, obj):
        return mask_phone(selectors.reporter_phone_source(obj)[1]) or "—"

    @admin.display(description=gettext_lazy("reporter's phone"))
    def reporter_phone_call_back(self, obj):
        number = selectors.reporter_phone_source(obj)[1]
        if not number:
            return "—"
        # A button of the change form posted to the call-back view (with the form's CSRF token): a reveal is a
        # logged action, never a link that a prefetch could follow.
        return format_html('{} <button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
                           mask_phone(number), reverse("admin:petitions_petition_call_back", args=[obj.pk]),
                           _("Show the whole number to call back"))

    def get_urls(self):
        return [
            path("<int:pk>/call-back/", self.admin_site.admin_view(self.call_back_view),
                 name="petitions_petition_call_back"),
            path("<int:pk>/handle/<str:action>/", self.admin_site.admin_view(self.handle_view),
                 name="petitions_petition_handle"),
            *super().get_urls(),
        ]

    def has_add_permission(self, request, obj=None):
        # "Add" is recording a petition from another channel (a call, a letter, a visit): the recorder roles.
        scope = scope_for(request.user)
        return scope.is_superuser or scope.has_role(*RECORDER_ROLES)

    def add_view(self, request, form_url="", extra_context=None):
        """Records a petition from another channel through `services.petition_record`. Before it is saved, the
        open petitions of the same compound and category from the last 7 days are listed; recording one anyway
        needs a tick that it is not among them (the duplicate can also be merged later). The list holds what the
        recorder may see (roles.md: no counts of what one cannot see), so a firm or a committee recording for
        another handler is warned only of the petitions it follows itself."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.RecordForm(request.POST or None, compounds=petition_policy.recordable_compounds(request.user),
                                 categories=selectors.categories_for(request.user))
        duplicates = []
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            duplicates = list(selectors.possible_duplicates(
                request.user, compound_id=data["compound"].pk, category_id=data["category"].pk))
            if duplicates and not data.pop("not_a_duplicate"):
                form.add_error("not_a_duplicate", _("Open petitions of this compound and category came in during "
                                                    "the last 7 days: check them first."))
            else:
                data.pop("not_a_duplicate", None)
                try:
                    petition = services.petition_record(actor=request.user, **data)
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                except PermissionDenied as exc:
                    form.add_error("compound", str(exc))
                else:
                    messages.success(request, _("Petition #%(id)s recorded and sent to its handler: %(handler)s.") % {
                        "id": petition.pk, "handler": petition.get_handler_kind_display()})
                    if petition_policy.can(request.user, "view", petition):
                        return HttpResponseRedirect(reverse("admin:petitions_petition_change", args=[petition.pk]))
                    # Routed to a handler this recorder does not follow (a firm recording a neighbours' dispute):
                    # back to the form for the next one, not to a page they may not see.
                    return HttpResponseRedirect(reverse("admin:petitions_petition_add"))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Record a petition"),
            "form": form, "duplicates": duplicates, **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/petitions/petition/record.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The petition page opens with a panel of what this user may do to it now (accept, reply, resolve,
        transfer, whistle, answer …), each a small form posted to `handle_view`."""
        petition = self.get_object(request, object_id)
        if petition is not None:
            names = handling_actions(request.user, petition)
            extra_context = {**(extra_context or {}), "handling": [
                {"label": HANDLING[name].label, "form": _handling_form(name, request.user, petition),
                 "url": reverse("admin:petitions_petition_handle", args=[petition.pk, name]),
                 "open": len(names) == 1}  # a lone action is shown unfolded
                for name in names
            ]}
            # The record below the form, for everyone who sees the petition (templates/…/_record.html).
            extra_context["record"] = selectors.staff_record(request.user, petition)
        return super().change_view(request, object_id, form_url, extra_context)

    def handle_view(self, request, pk, action):
        """One action on one petition through its service; the outcome, or why not, comes back as a message on
        the petition's page. Invisible petitions are a 404 as everywhere."""
        petition = self.policy.get_visible(request.user, pk=pk)
        if action not in HANDLING:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = _handling_form(action, request.user, petition, request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        elif run_once(request, lambda: HANDLING[action].call(request.user, petition, form.cleaned_data))[0]:
            petition.refresh_from_db()
            messages.success(request, _("%(action)s: done. The petition is now %(status)s.") % {
                "action": HANDLING[action].label, "status": petition.get_status_display()})
        return HttpResponseRedirect(reverse("admin:petitions_petition_change", args=[pk]))

    def call_back_view(self, request, pk):
        """Shows the reporter's whole number once, as a message; the service checks and logs the reveal."""
        petition = self.policy.get_visible(request.user, pk=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        done, number = run_once(request, lambda: services.petition_reveal_reporter_phone(
            actor=request.user, petition=petition))
        if done:
            messages.info(request, _("Petition #%(id)s, the reporter's phone: %(number)s (this view has been logged)")
                          % {"id": petition.pk, "number": number})
        return HttpResponseRedirect(reverse("admin:petitions_petition_change", args=[pk]))

    @admin.display(description=gettext_lazy("deadline"), ordering="deadline")
    def deadline_shown(self, obj):
        if obj.deadline is None:
            return "—"
        shown = date_format(timezone.localtime(obj.deadline), "Y-m-d H:i")
        if obj.is_overdue():
            return format_html('<strong class="overdue">{} · {}</strong>', shown, _("overdue"))
        return shown

    @admin.action(description=gettext_lazy("Accept the selected petitions"))
    def accept_selected(self, request, queryset):
        # Each in its own transaction; what is refused is reported with the reason, not silently skipped.
        run_for_each(self, request, queryset,
                     lambda petition: services.petition_accept(actor=request.user, petition=petition),
                     _("Petitions accepted"))
