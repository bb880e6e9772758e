from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, WORKBENCH, Queue, ScopedAdmin, ScopedInlineMixin, run_for_each
from communities.policies import community_policy
from communities.templatetags.figures import percent
from core.errors import DomainError
from governance import queues, selectors, services
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    CampaignRecord,
    CampaignTarget,
    Candidate,
    CouncilMember,
    CrossAppointment,
    Evaluation,
    ListItem,
    Meeting,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    PartyOrganizationMember,
    StreetOffice,
    StreetOfficeStaff,
    SupervisoryRecord,
    TermReminder,
    Vetting,
    Vote,
    WorkRequest,
)
from governance.policies import (
    agenda_item_policy,
    body_member_policy,
    body_policy,
    building_head_policy,
    campaign_record_policy,
    campaign_target_policy,
    candidate_policy,
    council_member_policy,
    cross_appointment_policy,
    evaluation_policy,
    list_item_policy,
    meeting_policy,
    party_coverage_policy,
    party_member_policy,
    party_org_member_policy,
    party_organization_policy,
    street_office_policy,
    street_office_staff_policy,
    supervisory_record_policy,
    term_reminder_policy,
    vetting_policy,
    vote_policy,
    work_request_policy,
)
from properties.documents import validate_document

POLICIES.update({
    PartyOrganization: party_organization_policy, Body: body_policy, BodyMember: body_member_policy,
    PartyOrganizationMember: party_org_member_policy, CrossAppointment: cross_appointment_policy,
})


class PartyOrganizationMemberFormSet(BaseInlineFormSet):
    """One secretary; a change of secretary goes through the service (the action on the members list), which
    demotes the previous one first: saved row by row here, a swap would meet the database's constraint."""

    def clean(self):
        super().clean()
        secretary = PartyOrganizationMember.Post.SECRETARY
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        final = [f for f in kept if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
                 and f.cleaned_data.get("post") == secretary]
        if len(final) > 1:
            raise ValidationError(_("A party organization has one secretary."))
        was = [f for f in self.forms if f.instance.pk and f.initial.get("post") == secretary]
        if final and was and final[0] is not was[0]:
            raise ValidationError(_("To change the secretary, use the action “Make secretary” on the list of "
                                    "party-organization members."))


class PartyOrganizationMemberInline(ScopedInlineMixin, admin.TabularInline):
    """The organization's members with their posts; the member in the secretary post is its secretary."""

    model = PartyOrganizationMember
    formset = PartyOrganizationMemberFormSet
    extra = 0
    fields = ["person", "post", "is_part_time"]
    autocomplete_fields = ["person"]

    policy = party_org_member_policy
    list_select_related = ("person",)


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdmin):
    policy = party_organization_policy
    list_display = ["name", "kind", "community", "compound", "secretary_name"]
    list_filter = ["kind"]
    search_fields = ["name", "community__name", "compound__name"]
    list_select_related = ["community", "compound"]
    fields = ["community", "compound", "kind", "name", "contact_phone"]
    autocomplete_fields = ["community", "compound"]
    inlines = [PartyOrganizationMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("members", PartyOrganizationMember.objects.filter(post=PartyOrganizationMember.Post.SECRETARY)
                     .select_related("person")))

    @admin.display(description=_("secretary"))
    def secretary_name(self, obj):
        secretary = obj.secretary
        return secretary.name if secretary else "-"


class BodyMemberInline(ScopedInlineMixin, admin.TabularInline):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["person"]

    policy = body_member_policy
    list_select_related = ("person",)


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


POLICIES.update({
    Candidate: candidate_policy, Vetting: vetting_policy, Meeting: meeting_policy, AgendaItem: agenda_item_policy,
    Vote: vote_policy, SupervisoryRecord: supervisory_record_policy,
})


class VettingInline(ScopedInlineMixin, admin.TabularInline):
    model = Vetting
    extra = 0
    fields = ["department", "outcome", "reason", "answered_at"]
    readonly_fields = ["department", "outcome", "reason", "answered_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(ScopedAdmin):
    policy = candidate_policy
    list_display = ["person", "compound", "is_party_member", "nominated_on", "elected_to"]
    list_filter = ["is_party_member"]
    search_fields = ["person__name", "compound__name"]
    list_select_related = ["person", "compound", "elected_to"]
    fields = ["compound", "person", "is_party_member"]
    autocomplete_fields = ["compound", "person"]
    inlines = [VettingInline]
    actions = ["send_for_vetting"]

    @admin.action(description=_("Send for joint vetting (police, court, urban management)"),
                  permissions=["change"])
    def send_for_vetting(self, request, queryset):
        run_for_each(self, request, queryset, lambda c: services.candidate_send_for_vetting(
            actor=request.user, candidate=c), _("Sent for vetting."))


@admin.register(Vetting)
class VettingAdmin(ScopedAdmin):
    policy = vetting_policy
    list_display = ["candidate", "department", "outcome", "reason", "answered_at"]
    list_filter = ["outcome"]
    list_select_related = ["candidate__person", "department"]
    fields = ["candidate", "department", "outcome", "reason", "answered_at"]
    readonly_fields = fields
    actions = ["answer_pass"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Answer: pass"))
    def answer_pass(self, request, queryset):
        run_for_each(self, request, queryset, lambda v: services.vetting_answer(
            actor=request.user, vetting=v, outcome=Vetting.Outcome.PASS), _("Answered."))


class AgendaItemFormSet(BaseInlineFormSet):
    """A decision entered here is recorded by `services.item_decide` (the supervisory record, published to the
    owners) after the items are saved, never written straight into the row."""

    def save(self, commit=True):
        self.decided = []
        for row in self.forms:
            if "decision" not in row.changed_data or row in self.deleted_forms:
                continue
            self.decided.append((row.instance, row.instance.decision))
            row.instance.decision = row.initial.get("decision", "")
        return super().save(commit)


class AgendaItemInline(ScopedInlineMixin, admin.StackedInline):
    model = AgendaItem
    formset = AgendaItemFormSet
    extra = 0
    fields = ["title", "description", "is_major", "pre_reviewed_at", "pre_review_note", "decision"]
    readonly_fields = ["pre_reviewed_at", "pre_review_note"]


class CouncilMemberFormSet(BaseInlineFormSet):
    """The members as edited are checked by the service's own rule (`services.council_members_check`)."""

    def clean(self):
        super().clean()
        changed = any(f.has_changed() for f in self.forms) or self.deleted_forms
        if not self.instance.pk or not changed:
            return
        members = [(f.cleaned_data["person"], f.cleaned_data["capacity"]) for f in self.forms
                   if f.cleaned_data.get("person") and f not in self.deleted_forms]
        try:
            services.council_members_check(self.instance, members)
        except DomainError as exc:
            raise ValidationError(exc.message) from None


class CouncilMemberInline(ScopedInlineMixin, admin.TabularInline):
    """The members of a quarterly council: the electorate of its votes (5030 rule)."""

    model = CouncilMember
    formset = CouncilMemberFormSet
    extra = 0
    fields = ["person", "capacity"]
    autocomplete_fields = ["person"]

    policy = council_member_policy
    list_select_related = ("person",)


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    policy = meeting_policy
    list_display = ["title", "kind", "compound", "held_at"]
    list_filter = ["kind"]
    search_fields = ["title", "compound__name"]
    list_select_related = ["compound"]
    fields = ["compound", "kind", "title", "held_at", "attendees", "minutes"]
    autocomplete_fields = ["compound"]
    inlines = [AgendaItemInline, CouncilMemberInline]

    def get_inlines(self, request, obj):
        # Only a quarterly council has members.
        if obj is None or obj.kind != Meeting.Kind.QUARTERLY_COUNCIL:
            return [AgendaItemInline]
        return self.inlines

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for item, decision in getattr(formset, "decided", ()):
            if decision.strip():
                services.item_decide(actor=request.user, item=item, decision=decision)


@admin.register(Vote)
class VoteAdmin(ScopedAdmin):
    policy = vote_policy
    list_display = ["item", "compound", "rule", "status", "result", "deadline"]
    list_filter = ["status", "rule", "result"]
    list_select_related = ["item", "compound"]
    fields = ["item", "compound", "rule", "status", "result", "opened_at", "deadline", "closed_at", "counts"]
    readonly_fields = fields
    actions = ["close_now"]

    def has_add_permission(self, request, obj=None):
        return False  # votes open through the API or the service, which fix the electorate

    @admin.action(description=_("Close now and compute the result"))
    def close_now(self, request, queryset):
        run_for_each(self, request, queryset.filter(status=Vote.Status.OPEN), lambda v: services.vote_close(
            actor=request.user, vote=v), _("Closed."))


@admin.register(SupervisoryRecord)
class SupervisoryRecordAdmin(ScopedAdmin):
    policy = supervisory_record_policy
    list_display = ["matter", "compound", "meeting_kind", "recorded_at", "published_at"]
    list_filter = ["meeting_kind"]
    search_fields = ["matter", "compound__name"]
    list_select_related = ["compound"]
    fields = ["compound", "item", "matter", "meeting_kind", "decision", "recorded_at", "published_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # records are written by the services when a decision is made


POLICIES.update({
    PartyCoverage: party_coverage_policy, PartyMember: party_member_policy, BuildingHead: building_head_policy,
    Evaluation: evaluation_policy, TermReminder: term_reminder_policy,
})


@admin.register(PartyCoverage)
class PartyCoverageAdmin(ScopedAdmin):
    policy = party_coverage_policy
    list_display = ["__str__", "coverage", "organization", "instructor_name"]
    list_filter = ["coverage"]
    list_select_related = ["body__compound", "firm", "organization"]
    fields = ["body", "firm", "coverage", "organization", "instructor_name"]
    autocomplete_fields = ["body", "organization"]



@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdmin):
    policy = party_member_policy
    list_display = ["person", "community", "kind", "reported_on", "is_central_household"]
    list_filter = ["kind", "is_central_household"]
    search_fields = ["person__name"]
    list_select_related = ["person", "community"]
    fields = ["community", "person", "kind", "reported_on", "is_central_household"]
    autocomplete_fields = ["community", "person"]



@admin.register(BuildingHead)
class BuildingHeadAdmin(ScopedAdmin):
    policy = building_head_policy
    list_display = ["building", "person", "is_party_member"]
    list_filter = ["is_party_member"]
    list_select_related = ["building__compound", "person"]
    fields = ["building", "person", "is_party_member"]
    autocomplete_fields = ["building", "person"]



class EvaluationForm(forms.ModelForm):
    """The service's rules (`services.evaluation_check`), answered as field errors."""

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        if self.instance.body_id and not self.errors:
            try:
                services.evaluation_check(self.instance)
            except DomainError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    form = EvaluationForm
    policy = evaluation_policy
    list_display = ["body", "year", "rating", "evaluators"]
    list_filter = ["rating", "year"]
    list_select_related = ["body__compound"]
    fields = ["body", "year", "rating", "evaluators", "reasons"]
    autocomplete_fields = ["body"]


class OpenReminderFilter(admin.SimpleListFilter):
    """Reminders whose term has not been renewed yet (governance.queues): the workbench's link lands here."""

    title = _("state")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", _("Term not renewed yet"))]

    def queryset(self, request, queryset):
        return queryset.filter(queues.OPEN_REMINDER_Q) if self.value() == "1" else queryset


@admin.register(TermReminder)
class TermReminderAdmin(ScopedAdmin):
    policy = term_reminder_policy
    list_display = ["body", "kind", "term_ends_on", "created_at"]
    list_filter = [OpenReminderFilter, "kind"]
    list_select_related = ["body__compound"]
    fields = ["body", "kind", "term_ends_on", "created_at"]
    readonly_fields = fields


POLICIES.update({
    CouncilMember: council_member_policy, ListItem: list_item_policy, WorkRequest: work_request_policy,
    CampaignTarget: campaign_target_policy,
})


@admin.register(ListItem)
class ListItemAdmin(ScopedAdmin):
    policy = list_item_policy
    list_display = ["number", "title", "kind", "department_kind", "is_active"]
    list_display_links = ["title"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title"]
    fields = ["district", "kind", "number", "title", "department_kind", "is_active"]


@admin.register(WorkRequest)
class WorkRequestAdmin(ScopedAdmin):
    policy = work_request_policy
    list_display = ["title", "department", "community", "list_item", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["title", "community__name", "department__name"]
    list_select_related = ["department", "community", "list_item"]
    fields = ["department", "community", "list_item", "title", "description", "status", "requested_at",
              "decided_at", "decision_note"]
    readonly_fields = fields
    actions = ["approve"]

    def has_add_permission(self, request, obj=None):
        return False  # departments ask through the API; the service checks the access list

    @admin.action(description=_("Approve as an exception to the access list"))
    def approve(self, request, queryset):
        run_for_each(self, request, queryset.filter(status=WorkRequest.Status.PENDING),
                     lambda w: services.work_request_decide(actor=request.user, request=w, approve=True),
                     _("Approved."))


def governance_queues(request) -> list[Queue]:
    """The admin home's governance queues of the user, each a link to the list filtered by it."""
    out = []
    waiting = queues.work_requests_waiting(request.user)
    if waiting is not None:
        out.append(Queue("work_requests", str(queues.WORK_REQUESTS_WAITING), waiting,
                         reverse("admin:governance_workrequest_changelist") + "?status__exact=pending"))
    reminders = queues.term_reminders_open(request.user)
    if reminders is not None:
        out.append(Queue("term_reminders", str(queues.TERM_REMINDERS_OPEN), reminders,
                         reverse("admin:governance_termreminder_changelist") + "?open=1", alert=True))
    return out


WORKBENCH.append((20, governance_queues))


@admin.register(CampaignTarget)
class CampaignTargetAdmin(ScopedAdmin):
    policy = campaign_target_policy
    list_display = ["number", "task", "measure", "target_shown", "lead_units", "responsible_units", "deadline"]
    list_display_links = ["task"]
    list_filter = ["measure"]
    search_fields = ["task", "lead_units", "responsible_units"]
    fields = ["district", "number", "task", "measure", "target_value", "starts_on", "lead_units",
              "responsible_units", "deadline"]
    change_list_template = "admin/governance/campaigntarget/change_list.html"

    @admin.display(description=_("target value"), ordering="target_value")
    def target_shown(self, obj):
        if obj.counts and obj.target_value is not None:
            return f"{obj.target_value:.0f}"
        return percent(obj.target_value)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "measure":
            # What each measure counts, from the registry the measures' app fills (selectors.MEASURES).
            labels = dict(CampaignTarget.Measure.choices)
            definitions = format_html_join("", "<br><b>{}</b>: {}", [
                (labels[code], definition) for code, definition in selectors.measure_definitions().items()])
            field.help_text = format_html("{}{}", db_field.help_text, definitions)
        return field

    def get_urls(self):
        return [
            path("progress/", self.admin_site.admin_view(self.progress_view), name="governance_campaigntarget_progress"),
            *super().get_urls(),
        ]

    def progress_view(self, request):
        """Live progress of every target the user sees, per street and community of their scope."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        targets = self.policy.visible(request.user).order_by("district_id", "number")
        rows = selectors.targets_progress(list(targets), community_policy.visible(request.user))
        definitions = selectors.measure_definitions()
        for row in rows:
            row["definition"] = definitions.get(row["measure"])
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": _("Campaign progress"), "rows": rows}
        return TemplateResponse(request, "admin/governance/campaigntarget/progress.html", context)


@admin.register(PartyOrganizationMember)
class PartyOrganizationMemberAdmin(ScopedAdmin):
    policy = party_org_member_policy
    list_display = ["person", "post", "is_part_time", "organization", "community"]
    list_filter = ["post", "is_part_time"]
    search_fields = ["person__name", "organization__name"]
    list_select_related = ["person", "organization", "community"]
    fields = ["organization", "person", "post", "is_part_time"]
    autocomplete_fields = ["organization", "person"]
    readonly_fields = fields
    actions = ["make_secretary"]

    def has_add_permission(self, request, obj=None):
        return False  # members are added in their organization's page; posts change through the action below

    @admin.action(description=_("Make secretary (the previous secretary becomes a member)"), permissions=["change"])
    def make_secretary(self, request, queryset):
        run_for_each(self, request, queryset, lambda m: services.party_org_member_set(
            actor=request.user, organization=m.organization, person=m.person, post=PartyOrganizationMember.Post.SECRETARY,
            is_part_time=m.is_part_time), _("Secretary changed."))


@admin.register(CrossAppointment)
class CrossAppointmentAdmin(ScopedAdmin):
    policy = cross_appointment_policy
    list_display = ["person", "kind", "community", "compound", "firm", "started_on"]
    list_filter = ["kind"]
    search_fields = ["person__name", "community__name", "compound__name"]
    list_select_related = ["person", "community", "compound", "firm"]
    fields = ["kind", "person", "community", "compound", "body_member", "party_post", "firm", "started_on"]
    readonly_fields = fields
    actions = ["end_appointment"]

    def has_add_permission(self, request, obj=None):
        return False  # made by the service, which checks that the two seats belong together

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("End the cross-appointment"), permissions=["change"])
    def end_appointment(self, request, queryset):
        run_for_each(self, request, queryset, lambda a: services.cross_appointment_end(actor=request.user,
                                                                                      appointment=a), _("Ended."))


# --- the campaign's street offices and records ---------------------------------------------------------------------

POLICIES.update({StreetOffice: street_office_policy, StreetOfficeStaff: street_office_staff_policy,
                 CampaignRecord: campaign_record_policy})


class StreetOfficeStaffInline(ScopedInlineMixin, admin.TabularInline):
    model = StreetOfficeStaff
    policy = street_office_staff_policy
    extra = 0
    fields = ["name", "post", "is_deputy_secretary"]


@admin.register(StreetOffice)
class StreetOfficeAdmin(ScopedAdmin):
    """A street's three-party office with its staff (campaign rows 1 and 2)."""

    policy = street_office_policy
    list_display = ["street", "set_up_on", "venue", "yearly_funding", "staff_count"]
    list_select_related = ["street"]
    fields = ["street", "set_up_on", "venue", "yearly_funding"]
    fixed_after_create = ("street",)
    inlines = [StreetOfficeStaffInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(staff_total=Count("staff"))

    @admin.display(description=_("staff"), ordering="staff_total")
    def staff_count(self, obj):
        return obj.staff_total

    def save_model(self, request, obj, form, change):
        services.street_office_save(actor=request.user, office=obj)

    def save_formset(self, request, form, formset, change):
        for row in formset.forms:  # the staff rows take their place from the office
            row.instance.office = form.instance
            row.instance.derive_ancestors()
        super().save_formset(request, form, formset, change)


class CampaignRecordForm(forms.ModelForm):
    class Meta:
        model = CampaignRecord
        fields = ["kind", "title", "on", "street", "community", "compound", "person", "amount", "evidence", "note"]

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and upload is not self.instance.evidence and hasattr(upload, "content_type"):
            try:
                validate_document(upload)
            except DomainError as exc:
                raise ValidationError(exc.message) from exc
        return upload

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and getattr(self, "actor", None) is not None:
            try:
                services.campaign_record_check_person(actor=self.actor, record=self.instance)
            except DomainError as exc:
                self.add_error(exc.field, exc.message)


@admin.register(CampaignRecord)
class CampaignRecordAdmin(ScopedAdmin):
    """What the campaign did, kind by kind (campaign rows 1 and 15–22): kept by the offices in their subtree."""

    policy = campaign_record_policy
    form = CampaignRecordForm
    list_display = ["on", "kind", "title", "street", "community", "compound", "person", "amount", "evidence_link"]
    list_display_links = ["title"]
    list_filter = ["kind", "street", "community"]
    date_hierarchy = "on"
    search_fields = ["title"]
    list_select_related = ["street", "community", "compound", "person"]
    autocomplete_fields = ["compound"]
    readonly_fields = ["evidence_link", "recorded_by"]

    def get_fields(self, request, obj=None):
        return [*CampaignRecordForm.Meta.fields, "evidence_link", "recorded_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            # Post holders of the user's part of the district only: never every account of the platform.
            kwargs["queryset"] = get_user_model().objects.filter(
                pk__in=services.post_holders(request.user).values("user_id")).order_by("username")
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        # The file through its scoped view (the storage's own URL is not served).
        if not obj or not obj.pk or not obj.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("campaign-record-evidence", args=[obj.pk]), _("Download"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        form_class.actor = request.user
        return form_class

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("evidence") if "evidence" in form.changed_data else None
        services.campaign_record_save(actor=request.user, record=obj, upload=upload or None)
