from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, ScopedAdmin
from governance import services
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    Candidate,
    Evaluation,
    Meeting,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    SupervisoryRecord,
    TermReminder,
    Vetting,
    Vote,
)
from governance.policies import (
    agenda_item_policy,
    body_member_policy,
    body_policy,
    building_head_policy,
    candidate_policy,
    evaluation_policy,
    meeting_policy,
    party_coverage_policy,
    party_member_policy,
    party_organization_policy,
    supervisory_record_policy,
    term_reminder_policy,
    vetting_policy,
    vote_policy,
)

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


POLICIES.update({
    Candidate: candidate_policy, Vetting: vetting_policy, Meeting: meeting_policy, AgendaItem: agenda_item_policy,
    Vote: vote_policy, SupervisoryRecord: supervisory_record_policy,
})


class VettingInline(admin.TabularInline):
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

    @admin.action(description=_("Send for joint vetting (police, court, urban management)"))
    def send_for_vetting(self, request, queryset):
        for candidate in queryset:
            services.candidate_send_for_vetting(actor=request.user, candidate=candidate)
        self.message_user(request, _("Sent for vetting."))


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
        for vetting in queryset:
            services.vetting_answer(actor=request.user, vetting=vetting, outcome=Vetting.Outcome.PASS)
        self.message_user(request, _("Answered."))


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = ["title", "description", "is_major", "pre_reviewed_at", "pre_review_note", "decision"]
    readonly_fields = ["pre_reviewed_at", "pre_review_note"]


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    policy = meeting_policy
    list_display = ["title", "kind", "compound", "held_at"]
    list_filter = ["kind"]
    search_fields = ["title", "compound__name"]
    list_select_related = ["compound"]
    fields = ["compound", "kind", "title", "held_at", "attendees", "minutes"]
    autocomplete_fields = ["compound"]
    inlines = [AgendaItemInline]


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
        for vote in queryset.filter(status=Vote.Status.OPEN):
            services.vote_close(actor=request.user, vote=vote)
        self.message_user(request, _("Closed."))


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
    fields = ["district", "body", "firm", "coverage", "organization", "instructor_name"]
    autocomplete_fields = ["body", "organization"]


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdmin):
    policy = party_member_policy
    list_display = ["person", "community", "kind", "reported_on", "is_central_household"]
    list_filter = ["kind", "is_central_household"]
    search_fields = ["person__name"]
    list_select_related = ["person", "community"]
    fields = ["district", "community", "person", "kind", "reported_on", "is_central_household"]
    autocomplete_fields = ["community", "person"]


@admin.register(BuildingHead)
class BuildingHeadAdmin(ScopedAdmin):
    policy = building_head_policy
    list_display = ["building", "person", "is_party_member"]
    list_filter = ["is_party_member"]
    list_select_related = ["building__compound", "person"]
    fields = ["district", "compound", "building", "person", "is_party_member"]
    autocomplete_fields = ["compound", "building", "person"]


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    policy = evaluation_policy
    list_display = ["body", "year", "rating", "evaluators"]
    list_filter = ["rating", "year"]
    list_select_related = ["body__compound"]
    fields = ["district", "body", "year", "rating", "evaluators", "reasons"]
    autocomplete_fields = ["body"]


@admin.register(TermReminder)
class TermReminderAdmin(ScopedAdmin):
    policy = term_reminder_policy
    list_display = ["body", "kind", "term_ends_on", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["body__compound"]
    fields = ["body", "kind", "term_ends_on", "created_at"]
    readonly_fields = fields
