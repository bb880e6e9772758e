"""The district centre, streets and communities follow the evaluation in the admin, scoped like everything else.
Scores, results, reviews and appeals are records written by the services (through the API and the actions
here), so they are read-only pages."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, ReadOnlyMixin, ScopedAdmin, ScopedInlineMixin, run_for_each
from core.errors import REFUSALS, refusal_reason
from rankings import policies, services, takeover
from rankings.models import (
    Appeal,
    Appraisal,
    EvaluationRules,
    ExitCase,
    FirmResult,
    HandoverItem,
    Incident,
    Period,
    Review,
    Score,
    Stars,
    Talk,
)

POLICIES.update({
    EvaluationRules: policies.rules_policy, Period: policies.period_policy, Score: policies.score_policy,
    FirmResult: policies.result_policy, Appraisal: policies.appraisal_policy, Incident: policies.incident_policy,
    Review: policies.review_policy, Appeal: policies.appeal_policy, Talk: policies.talk_policy,
    Stars: policies.stars_policy, ExitCase: policies.exit_policy, HandoverItem: policies.handover_policy,
})


class RecordAdmin(ReadOnlyMixin, ScopedAdmin):
    """A page of records the services write: listed and opened, never edited here."""

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [f.name for f in self.model._meta.fields]


@admin.register(EvaluationRules)
class EvaluationRulesAdmin(ScopedAdmin):
    policy = policies.rules_policy
    list_display = ["district", "red_share", "red_min_score", "black_below", "appeal_days"]
    fields = ["district", "weights", "red_share", "red_min_score", "black_below", "appeal_days"]
    fixed_after_create = ("district",)


@admin.register(Period)
class PeriodAdmin(ScopedAdmin):
    policy = policies.period_policy
    list_display = ["__str__", "district", "status", "computed_at", "published_at"]
    list_filter = ["status", "year"]
    fields = ["district", "year", "quarter", "status", "starts_on", "ends_on", "computed_at", "published_at"]
    readonly_fields = ["status", "starts_on", "ends_on", "computed_at", "published_at"]
    fixed_after_create = ("district", "year", "quarter")
    actions = ["compute"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.starts_on, obj.ends_on = services.quarter_bounds(obj.year, obj.quarter)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Score the quarter now"), permissions=["change"])
    def compute(self, request, queryset):
        run_for_each(self, request, queryset, lambda p: services.period_compute(actor=request.user, period=p),
                     _("Scored."))


@admin.register(Score)
class ScoreAdmin(RecordAdmin):
    policy = policies.score_policy
    list_display = ["period", "firm", "compound", "score", "vetoed"]
    list_filter = ["period", "vetoed"]
    list_select_related = ["period", "firm", "compound"]
    fields = ["period", "firm", "compound", "score", "vetoed", "breakdown"]


@admin.register(FirmResult)
class FirmResultAdmin(RecordAdmin):
    policy = policies.result_policy
    list_display = ["period", "rank", "firm", "score", "placement", "vetoed", "compounds"]
    list_filter = ["period", "placement"]
    list_select_related = ["period", "firm"]
    fields = ["period", "firm", "score", "rank", "placement", "vetoed", "compounds"]


class AppraisalForm(forms.ModelForm):
    """The scoring form of the community, the street or the owners' committee: a score out of 100 for the firm in
    the compound, with the reasons; the level is the user's own (by their role over the compound)."""

    class Meta:
        model = Appraisal
        fields = ["period", "compound", "firm", "score", "reasons"]
        widgets = {"reasons": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _post_clean(self):
        super()._post_clean()
        data = self.cleaned_data
        if self.errors or not all(data.get(f) for f in ("period", "compound", "firm")):
            return
        try:
            self.instance.level = services.appraisal_check(
                actor=self.user, period=data["period"], compound=data["compound"], firm_id=data["firm"].pk,
                reasons=data.get("reasons", ""))
        except REFUSALS as error:
            field = getattr(error, "field", None)
            self.add_error(field if field in self.fields else None, refusal_reason(error))


@admin.register(Appraisal)
class AppraisalAdmin(ScopedAdmin):
    """Appraisals are entered here by the offices and committees that appraise; saved again while the quarter is
    open, an appraisal replaces the earlier one."""

    policy = policies.appraisal_policy
    form = AppraisalForm
    list_display = ["period", "compound", "firm", "level", "score", "appraised_at"]
    list_filter = ["period", "level"]
    list_select_related = ["period", "compound", "firm"]
    fields = ["period", "compound", "firm", "level", "score", "reasons", "appraised_at"]
    readonly_fields = ["level", "appraised_at"]
    fixed_after_create = ("period", "compound", "firm")
    autocomplete_fields = ["compound"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class UserForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        return UserForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "period" and field is not None:
            field.queryset = field.queryset.filter(status=Period.Status.OPEN)
        return field

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.period.status == Period.Status.OPEN)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.appraisal_save(actor=request.user, period=obj.period, compound=obj.compound,
                                        firm_id=obj.firm_id, score=data["score"], reasons=data["reasons"])
        obj.pk, obj.level = saved.pk, saved.level


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    policy = policies.incident_policy
    list_display = ["period", "compound", "firm", "occurred_on", "withdrawn"]
    list_filter = ["period", "withdrawn"]
    list_select_related = ["period", "compound", "firm"]
    fields = ["period", "compound", "firm", "occurred_on", "description", "withdrawn"]


@admin.register(Review)
class ReviewAdmin(RecordAdmin):
    policy = policies.review_policy
    list_display = ["period", "level", "node_id", "reviewed_at"]
    list_filter = ["period", "level"]
    list_select_related = ["period"]
    fields = ["period", "level", "node_id", "opinion", "reviewed_at"]


@admin.register(Appeal)
class AppealAdmin(RecordAdmin):
    policy = policies.appeal_policy
    list_display = ["period", "firm", "filed_at", "status", "decided_at"]
    list_filter = ["period", "status"]
    list_select_related = ["period", "firm"]
    fields = ["period", "firm", "reason", "filed_at", "status", "decision", "decided_at"]


@admin.register(Talk)
class TalkAdmin(ScopedAdmin):
    """The talk with a black-listed firm: the district centre records when it was held and what was agreed."""

    policy = policies.talk_policy
    list_display = ["period", "firm", "held_on"]
    list_filter = ["period"]
    list_select_related = ["period", "firm"]
    fields = ["period", "firm", "held_on", "notes"]
    readonly_fields = ["period", "firm"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Stars)
class StarsAdmin(RecordAdmin):
    policy = policies.stars_policy
    list_display = ["year", "firm", "stars", "mean_score", "red_listings", "black_listings"]
    list_filter = ["year", "stars"]
    list_select_related = ["firm"]
    fields = ["year", "firm", "stars", "mean_score", "red_listings", "black_listings"]


class HandoverInline(ReadOnlyMixin, ScopedInlineMixin, admin.TabularInline):
    model = HandoverItem
    policy = policies.handover_policy
    extra = 0
    fields = ["item", "side", "ticked_at", "note"]
    readonly_fields = fields


class ExitActionForm(ActionForm):
    """The admin's action bar with the reason an exit is dropped for."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


@admin.register(ExitCase)
class ExitCaseAdmin(RecordAdmin):
    policy = policies.exit_policy
    list_display = ["compound", "firm", "reason", "status", "decision", "incoming_firm", "opened_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["compound", "firm", "incoming_firm"]
    fields = ["compound", "contract", "firm", "reason", "status", "decision", "decided_at", "incoming_firm",
              "handover_started_on", "new_contract", "completed_on", "dropped_reason", "dropped_at"]
    inlines = [HandoverInline]
    action_form = ExitActionForm
    actions = ["drop"]

    def has_drop_permission(self, request):
        return self.policy.can(request.user, "change")

    @admin.action(description=_("Drop the exit (give the reason beside the action)"), permissions=["drop"])
    def drop(self, request, queryset):
        reason = request.POST.get("reason", "")
        run_for_each(self, request, queryset,
                     lambda case: takeover.exit_drop(actor=request.user, case=case, reason=reason), _("Dropped."))
