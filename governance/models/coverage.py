"""Party coverage, party members, building heads, evaluations and term reminders."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, District, Person
from governance.models.bodies import Body, PartyOrganization

# --- party coverage, party members, building heads, evaluations, term reminders -------------------------------

class Coverage(models.TextChoices):
    STANDALONE = "standalone", _("Standalone branch")
    JOINT = "joint", _("Joint branch")
    AFFILIATED = "affiliated", _("Affiliated")
    INSTRUCTOR = "instructor", _("Party-building instructor")
    NONE = "none", _("None")


class PartyCoverage(models.Model):
    """How one owners' committee or one property firm is covered by a party organization (双覆盖)."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    body = models.OneToOneField(
        Body, models.CASCADE, null=True, blank=True, related_name="party_coverage", verbose_name=_("body")
    )
    firm = models.OneToOneField(
        "properties.Firm", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("property firm")
    )
    coverage = models.CharField(_("coverage"), max_length=12, choices=Coverage.choices, default=Coverage.NONE)
    organization = models.ForeignKey(
        PartyOrganization, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("party organization"),
    )
    instructor_name = models.CharField(_("party-building instructor"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party coverage")
        verbose_name_plural = _("party coverage")
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False, firm__isnull=True) | Q(body__isnull=True, firm__isnull=False),
                name="party_coverage_body_or_firm",
            ),
            models.CheckConstraint(
                condition=~Q(coverage="instructor") | ~Q(instructor_name=""), name="party_coverage_instructor_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body or self.firm}: {self.get_coverage_display()}"

    def derive_ancestors(self) -> None:
        # Where the row lies follows from what it belongs to, whichever door writes it.
        owner = self.body if self.body_id else self.firm if self.firm_id else None
        if owner is not None:  # neither is refused by the constraint party_coverage_body_or_firm
            self.district_id = owner.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class PartyMember(models.Model):
    """A party member living in a community, and whether an in-service member reported there (到社区报到)."""

    class Kind(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        RETIRED = "retired", _("Retired")
        MOBILE = "mobile", _("Mobile")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("home community"))
    person = models.OneToOneField(Person, models.CASCADE, related_name="party_member", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reported_on = models.DateField(_("reported to the community on"), null=True, blank=True)
    is_central_household = models.BooleanField(_("party-member central household"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["community_id", "pk"]

    def __str__(self) -> str:
        return str(self.person)

    def derive_ancestors(self) -> None:
        # Where the row lies follows from what it belongs to, whichever door writes it.
        self.district_id = self.community.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class BuildingHead(models.Model):
    """The head of a building (楼栋长); one per building, ideally a party member."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    building = models.OneToOneField(
        "communities.Building", models.CASCADE, related_name="head", verbose_name=_("building")
    )
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    is_party_member = models.BooleanField(_("party member"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("building head")
        verbose_name_plural = _("building heads")

    def __str__(self) -> str:
        return f"{self.building}: {self.person}"

    def derive_ancestors(self) -> None:
        # Where the row lies follows from what it belongs to, whichever door writes it.
        self.compound_id, self.district_id = self.building.compound_id, self.building.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Evaluation(models.Model):
    """The annual evaluation of an owners' committee or self-management committee; history is kept."""

    class Rating(models.TextChoices):
        TRUSTWORTHY = "trustworthy", _("Trustworthy")
        AVERAGE = "average", _("Average")
        NOT_TRUSTWORTHY = "not_trustworthy", _("Not trustworthy")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    body = models.ForeignKey(Body, models.CASCADE, related_name="evaluations", verbose_name=_("body"))
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(pgettext_lazy("annual evaluation", "rating"), max_length=16, choices=Rating.choices)
    evaluators = models.CharField(_("evaluators"), max_length=200, default="党支部、监事会")
    reasons = models.TextField(_("reasons"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        ordering = ["body_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="evaluation_once_a_year")]

    def __str__(self) -> str:
        return f"{self.body} {self.year}: {self.get_rating_display()}"

    def derive_ancestors(self) -> None:
        # Where the row lies follows from what it belongs to, whichever door writes it.
        self.district_id = self.body.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class TermReminder(models.Model):
    """A reminder to the community office that a body's term ends in 90 or 30 days, or has lapsed."""

    class Kind(models.TextChoices):
        DAYS_90 = "days_90", _("Term ends in 90 days")
        DAYS_30 = "days_30", _("Term ends in 30 days")
        LAPSED = "lapsed", _("Term has lapsed")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    body = models.ForeignKey(Body, models.CASCADE, related_name="term_reminders", verbose_name=_("body"))
    term_ends_on = models.DateField(_("term ends on"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("term reminder")
        verbose_name_plural = _("term reminders")
        ordering = ["-created_at"]
        # One reminder of each kind per term: the daily task may run twice without repeating itself.
        constraints = [
            models.UniqueConstraint(fields=["body", "term_ends_on", "kind"], name="term_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.get_kind_display()}"
