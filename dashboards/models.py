"""The three-party strength index (三方强基指数): the district's indicator weights and each compound's index per
day with its breakdown, ranks and change. What each indicator measures: dashboards/strength/indicators.py."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Compound, District, Street


class Dimension(models.TextChoices):
    LEADERSHIP = "leadership", _("Organizational leadership")
    COHESION = "cohesion", _("Compound cohesion")
    COORDINATION = "coordination", _("Three-party coordination")
    SERVICE = "service", _("Property service")
    SATISFACTION = "satisfaction", _("Overall satisfaction")


class StrengthIndicator(models.TextChoices):
    PARTY_ORGANIZATION = "party_organization", _("Compound party organization")
    COMMITTEE_PARTY_COVERAGE = "committee_party_coverage", _("Owners' committee covered by the party")
    COMMITTEE_PARTY_MEMBERS = "committee_party_members", _("Party members on the owners' committee")
    BUILDING_HEADS = "building_heads", _("Buildings with a building head")
    COMMISSIONER = "commissioner", _("Compound commissioner")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee formed")
    MEETINGS_HELD = "meetings_held", _("Meetings held")
    VOTE_TURNOUT = "vote_turnout", _("Owners' vote turnout")
    ELECTRONIC_BALLOTS = "electronic_ballots", _("Ballots cast online")
    PARTY_FIRST_REVIEW = "party_first_review", _("Major matters reviewed first by the party")
    CROSS_APPOINTMENT = "cross_appointment", _("Cross-appointment")
    SETTLED_IN_COMPOUND = "settled_in_compound", _("Petitions settled in the compound")
    WHISTLES_ANSWERED = "whistles_answered", _("Whistles answered in time")
    ESCALATIONS = "escalations", _("Petitions escalated")
    MANAGEMENT = "management", _("Management mode")
    FIRM_SCORE = "firm_score", _("Firm evaluation score")
    FEE_COLLECTION = "fee_collection", _("Fee collection")
    STATEMENTS_PUBLISHED = "statements_published", _("Common-part income published")
    ON_TIME = "on_time", _("Petitions resolved on time")
    PETITION_RATING = "petition_rating", _("Residents' ratings of petitions")
    SURVEY = "survey", _("Satisfaction survey")
    RESOLUTION = "resolution", _("Petitions resolved")


class StrengthWeight(models.Model):
    """A district's weight for one indicator; indicators without a row keep the default weight."""

    district = models.ForeignKey(District, models.CASCADE, related_name="+", verbose_name=_("district"))
    indicator = models.CharField(_("indicator"), max_length=32, choices=StrengthIndicator.choices)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Any scale from 0 to 100: each weight counts in proportion to the sum; 0 leaves it out."),
    )

    class Meta:
        verbose_name = _("strength index weight")
        verbose_name_plural = _("strength index weights")
        ordering = ["district_id", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["district", "indicator"], name="strength_weight_once"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="strength_weight_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.weight}"


class StrengthScore(models.Model):
    """A compound's strength index on one day: the score, the five dimensions, how it was made, its ranks in its
    community, street and district, and its change since the compound's previous index."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.CASCADE, related_name="+", verbose_name=_("compound"))
    on = models.DateField(_("date"))
    score = models.DecimalField(_("index"), max_digits=5, decimal_places=2)
    dimensions = models.JSONField(_("dimensions"), help_text=_("Dimension → score (null without data)."))
    breakdown = models.JSONField(_("breakdown"))
    rank_community = models.PositiveIntegerField(_("rank in the community"))
    rank_street = models.PositiveIntegerField(_("rank in the street"))
    rank_district = models.PositiveIntegerField(_("rank in the district"))
    previous_on = models.DateField(_("previous index on"), null=True, blank=True)
    change = models.DecimalField(_("change"), max_digits=6, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("strength index")
        verbose_name_plural = _("strength indices")
        ordering = ["-on", "rank_district", "compound_id"]
        constraints = [models.UniqueConstraint(fields=["compound", "on"], name="strength_score_once_a_day")]
        indexes = [
            models.Index(fields=["district", "on"], name="strength_district_on"),
            models.Index(fields=["street", "on"], name="strength_street_on"),
            models.Index(fields=["community", "on"], name="strength_community_on"),
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.score}"
