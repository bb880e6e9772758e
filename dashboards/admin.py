"""The strength index in the admin, scoped like everything else: the district's weights (each with its
indicator's definition, source and direction; saved through the service, which refuses all-zero weights) with an
action that computes the index now, and the stored indices as read-only records with their breakdowns."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.admin_scope import POLICIES, ReadOnlyMixin, ScopedAdmin
from communities.models import District
from dashboards.models import StrengthScore, StrengthWeight
from dashboards.strength import indicators, services
from dashboards.strength.policies import strength_score_policy, strength_weight_policy

POLICIES.update({StrengthWeight: strength_weight_policy, StrengthScore: strength_score_policy})


@admin.register(StrengthWeight)
class StrengthWeightAdmin(ScopedAdmin):
    policy = strength_weight_policy
    list_display = ["indicator", "dimension", "weight", "default_weight", "direction", "district"]
    list_filter = ["indicator"]
    fields = ["district", "indicator", "weight", "documentation"]
    readonly_fields = ["documentation"]
    fixed_after_create = ("district", "indicator")  # a weight is of one indicator: another is another row
    actions = ["compute_now"]

    @admin.display(description=_("dimension"))
    def dimension(self, obj):
        return dict(indicators.Dimension.choices)[indicators.BY_CODE[obj.indicator].dimension]

    @admin.display(description=_("default weight"))
    def default_weight(self, obj):
        return indicators.BY_CODE[obj.indicator].weight

    @admin.display(description=_("direction"))
    def direction(self, obj):
        return indicators.BY_CODE[obj.indicator].direction_label

    @admin.display(description=_("how the indicator is measured"))
    def documentation(self, obj):
        definition = indicators.BY_CODE.get(obj.indicator) if obj and obj.indicator else None
        if definition is None:
            return _("Each indicator's definition, source and direction: the strength index's indicators page.")
        return f"{definition.definition} {_('Source')}: {definition.source}. {definition.direction_label}."

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if "indicator" in form_class.base_fields:
            form_class.base_fields["indicator"].help_text = " ".join(
                f"{d.name}: {d.definition}" for d in indicators.INDICATORS)

        class WeightForm(form_class):
            def clean(self):
                # The service's own check, asked before saving so that the page shows it beside the field.
                data = super().clean()
                district, indicator, weight = data.get("district"), data.get("indicator"), data.get("weight")
                if district is not None and indicator and weight is not None:
                    try:
                        services.check_weights({**services.weights_for(district.pk), indicator: weight})
                    except ValidationError as exc:
                        self.add_error("weight", exc.message_dict["weight"])
                return data

        return WeightForm

    def save_model(self, request, obj, form, change):
        services.weight_set(actor=request.user, district=obj.district, indicator=obj.indicator, weight=obj.weight)

    @admin.action(description=_("Compute the strength index now for the districts of the selected weights"),
                  permissions=["change"])
    def compute_now(self, request, queryset):
        districts = District.objects.filter(pk__in=queryset.values("district_id"))
        for district in districts:
            count = services.strength_compute(district=district, on=timezone.localdate(), actor=request.user)
            messages.success(request, _("%(district)s: %(count)s compounds scored.") % {
                "district": district.name, "count": count})


@admin.register(StrengthScore)
class StrengthScoreAdmin(ReadOnlyMixin, ScopedAdmin):
    policy = strength_score_policy
    list_display = ["compound", "on", "score", "change", "rank_community", "rank_street", "rank_district"]
    list_filter = ["on"]
    list_select_related = ["compound"]
    search_fields = ["compound__name"]
    date_hierarchy = "on"
    fields = ["compound", "on", "score", "change", "previous_on", "dimensions", "breakdown", "rank_community",
              "rank_street", "rank_district", "computed_at"]
    readonly_fields = fields
