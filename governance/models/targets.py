"""Campaign targets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import District

# --- campaign targets -------------------------------------------------------------------------------------------

# Measures that count things against a number to reach (target value 1 or more, a whole number); every other
# measure is a share between 0 and 1.
COUNT_MEASURES = ("demonstration_compounds", "model_commissioners", "beautiful_homes", "post_stations")


class CampaignTarget(models.Model):
    """One row of a district's campaign table (攻坚任务清单): a task, the measure computed from the data, the target
    value, the lead and responsible units and the deadline."""

    class Measure(models.TextChoices):
        PARTY_ORGANIZATION_COVERAGE = "party_organization_coverage", _("Compounds with a party organization")
        COMMISSIONER_COVERAGE = "commissioner_coverage", _("Compounds with a commissioner")
        OWNERS_COMMITTEE_COVERAGE = "owners_committee_coverage", _("Compounds with an owners' committee")
        COMMITTEE_PARTY_MEMBER_SHARE = "committee_party_member_share", _("Party members on new committees")
        COMMITTEE_PARTY_COVERAGE = "committee_party_coverage", _("Committees covered by a party organization")
        MEMBER_REPORTING_RATE = "member_reporting_rate", _("In-service party members reported to the community")
        BUILDING_HEAD_COVERAGE = "building_head_coverage", _("Buildings with a building head")
        ELECTRONIC_BALLOT_SHARE = "electronic_ballot_share", _("Ballots cast electronically")
        # Measured from the apps above governance (their definitions: dashboards/targets.py).
        COMMUNITY_OFFICE_COVERAGE = "community_office_coverage", _("Communities with a three-party office")
        PROFESSIONAL_COVERAGE = "professional_coverage", _("Compounds under professional management")
        UNMANAGED_ZEROED = "unmanaged_zeroed", _("Compounds no longer unmanaged")
        COMPLAINT_REDUCTION = "complaint_reduction", _("Fall in petitions against the year before")
        STATEMENTS_PUBLISHED = "statements_published", _("Compounds publishing common-part income online")
        PARTY_FIRST_REVIEW = "party_first_review", _("Major matters reviewed first by the party organization")
        WHISTLES_ANSWERED = "whistles_answered", _("Whistles answered by the departments in time")
        FIRMS_EVALUATED = "firms_evaluated", _("Served compounds whose firm was evaluated")
        FIRMS_OFF_BLACK_LIST = "firms_off_black_list", _("Served compounds whose firm is off the black list")
        # Measured from the street offices and the campaign's records (governance/models/campaign.py).
        STREET_OFFICES_SET_UP = "street_offices_set_up", _("Streets whose three-party office is set up and meets")
        STREET_OFFICES_STAFFED = "street_offices_staffed", _("Streets whose three-party office is staffed")
        ONBOARDING_TRAINING = "onboarding_training", _("Post holders trained for their post")
        ENFORCEMENT_IN_COMMUNITIES = "enforcement_in_communities", _("Communities visited by law enforcement")
        CO_BUILDING_PROJECTS = "co_building_projects", _("Communities with a needs-and-resources project")
        MICRO_PROJECTS_FUNDED = "micro_projects_funded", _("Communities with a funded micro-project")
        SERVICE_FUNDS_GRANTED = "service_funds_granted", _("Communities granted the party service fund")
        SOCIAL_ORGANIZATIONS = "social_organizations", _("Communities with 18 social organizations")
        # Counts against a number to reach (COUNT_MEASURES).
        DEMONSTRATION_COMPOUNDS = "demonstration_compounds", _("Demonstration compounds named")
        MODEL_COMMISSIONERS = "model_commissioners", _("Model commissioners named")
        BEAUTIFUL_HOMES = "beautiful_homes", _("Beautiful homes named")
        POST_STATIONS = "post_stations", _("Post stations built")

    COUNT_MEASURES = COUNT_MEASURES

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    number = models.PositiveSmallIntegerField(_("number"))
    task = models.TextField(_("task"))
    measure = models.CharField(
        _("measure"), max_length=32, choices=Measure.choices, blank=True,
        help_text=_("Leave empty for a task that the data cannot measure."),
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=9, decimal_places=4, null=True, blank=True,
        help_text=_("A share between 0 and 1, e.g. 0.95 for 95%; for a fall against the year before, the share of "
                    "last year's figure, e.g. 0.3 for down 30%; for a measure that counts (demonstration "
                    "compounds, model commissioners, beautiful homes, post stations), the number to reach, e.g. 20."),
    )
    starts_on = models.DateField(
        _("campaign starts on"), null=True, blank=True,
        help_text=_("Committees formed from this day count as new."),
    )
    lead_units = models.CharField(_("lead units"), max_length=200)
    responsible_units = models.CharField(_("responsible units"), max_length=200)
    deadline = models.DateField(_("deadline"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["district_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "number"], name="campaign_target_unique_number"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True)
                | (~Q(measure__in=COUNT_MEASURES) & Q(target_value__gte=0, target_value__lte=1))
                | (Q(measure__in=COUNT_MEASURES) & Q(target_value__gte=1)
                   & Q(Exact(Mod(F("target_value"), 1), 0))),
                name="campaign_target_value_share_or_count",
            ),
            models.CheckConstraint(
                condition=Q(measure="") | Q(target_value__isnull=False), name="campaign_target_measured_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.task[:60]}"

    @property
    def counts(self) -> bool:
        """True when the measure counts things against a number to reach rather than giving a share."""
        return self.measure in self.COUNT_MEASURES

    @property
    def kind(self) -> str:
        """"count" (a number to reach) or "share" (a value between 0 and 1), as the API and the progress say it."""
        return "count" if self.counts else "share"

    def clean(self):
        value = self.target_value
        if value is None or not self.measure:
            return
        if self.counts and (value < 1 or value != value.to_integral_value()):
            raise ValidationError({"target_value": _("This measure counts: give the whole number to reach, e.g. "
                                                     "20.")})
        if not self.counts and not 0 <= value <= 1:
            raise ValidationError({"target_value": _("This measure is a share: give a value between 0 and 1, "
                                                     "e.g. 0.95 for 95%.")})
