"""What the campaign table's rows need that no other record holds: the street three-party offices with their
staff, and the campaign's ledger of records (joint meetings, trainings, honours, enforcement, projects, funds,
stations, social organizations), one row per thing done, placed in the hierarchy where it was done."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, District, Street


class StreetOffice(models.Model):
    """A street's three-party office (街道三方办, also the property management station 物管站): where it works,
    its yearly funding and the day it was set up; its people are its staff rows."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.OneToOneField(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    set_up_on = models.DateField(_("set up on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True,
                             help_text=_("Where the office works; empty while it has no place of its own."))
    yearly_funding = models.DecimalField(
        _("yearly funding (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("street three-party office")
        verbose_name_plural = _("street three-party offices")
        ordering = ["district_id", "street_id"]
        constraints = [models.CheckConstraint(condition=Q(yearly_funding__gte=0), name="street_office_funding")]

    def __str__(self) -> str:
        return str(self.street)

    def derive_ancestors(self) -> None:
        self.district_id = self.street.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class StreetOfficeStaff(models.Model):
    """One of the office's people: its director (the street party working committee's deputy secretary as a
    rule), the district-managed cadre in charge of its daily work, and its staff."""

    class Post(models.TextChoices):
        DIRECTOR = "director", _("Director")
        CADRE = "cadre", _("District-managed cadre in charge of daily work")
        STAFF = "staff", _("Staff member")

    office = models.ForeignKey(StreetOffice, models.CASCADE, related_name="staff", verbose_name=_("office"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    name = models.CharField(_("name"), max_length=60)
    post = models.CharField(_("post"), max_length=12, choices=Post.choices)
    is_deputy_secretary = models.BooleanField(
        _("deputy secretary of the street party working committee"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("street office staff member")
        verbose_name_plural = _("street office staff")
        ordering = ["office_id", "post", "pk"]
        constraints = [models.UniqueConstraint(fields=["office"], condition=Q(post="director"),
                                               name="street_office_one_director")]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_post_display()}"

    def derive_ancestors(self) -> None:
        self.street_id, self.district_id = self.office.street_id, self.office.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class CampaignRecord(models.Model):
    """One thing the campaign did, of a kind the campaign table counts: a street joint meeting, a trainee's
    onboarding training, an honour (demonstration compound, model commissioner, beautiful home), law enforcement
    in a community, a needs-and-resources project, a micro-project or a service fund with its amount, a post
    station, a social organization registered. Placed at its street, community and compound; evidence optional."""

    class Kind(models.TextChoices):
        JOINT_MEETING = "joint_meeting", _("Street joint meeting")
        TRAINING = "training", _("Onboarding training")
        DEMONSTRATION_COMPOUND = "demonstration_compound", _("Micro-governance demonstration compound")
        MODEL_COMMISSIONER = "model_commissioner", _("Model commissioner")
        BEAUTIFUL_HOME = "beautiful_home", _("Beautiful home")
        ENFORCEMENT = "enforcement", _("Law enforcement in the community")
        CO_BUILDING_PROJECT = "co_building_project", _("Needs and resources matched in a project")
        MICRO_PROJECT = "micro_project", _("Micro-project with special funds")
        SERVICE_FUND = "service_fund", _("Community party service fund")
        STATION = "station", _("Post station")
        SOCIAL_ORGANIZATION = "social_organization", _("Social organization registered")

    # What each kind must name besides its street; the rest may be given.
    STREET_KINDS = frozenset({Kind.JOINT_MEETING})
    COMPOUND_KINDS = frozenset({Kind.DEMONSTRATION_COMPOUND, Kind.BEAUTIFUL_HOME})
    PERSON_KINDS = frozenset({Kind.TRAINING, Kind.MODEL_COMMISSIONER})
    MONEY_KINDS = frozenset({Kind.MICRO_PROJECT, Kind.SERVICE_FUND})

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, blank=True, related_name="+", verbose_name=_("street"),
                               help_text=_("Follows from the community when one is chosen."))
    community = models.ForeignKey(Community, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("community"),
                                  help_text=_("Empty only for what the street itself does (its joint meetings, "
                                              "its own people's training)."))
    compound = models.ForeignKey(Compound, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("compound"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200,
                             help_text=_("The meeting's subject, the course, the honour, the project or the "
                                         "organization's name."))
    on = models.DateField(_("date"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("person"),
                               help_text=_("The trainee of a training, the commissioner honoured."))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    evidence = models.FileField(_("evidence"), upload_to="campaign/%Y/%m/", blank=True,
                                help_text=_("Minutes, a certificate, a photo or an invoice: PDF, JPEG or PNG."))
    evidence_type = models.CharField(_("content type"), max_length=40, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+",
                                    editable=False, verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign record")
        verbose_name_plural = _("campaign records")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["district", "kind", "on"], name="campaign_record_kind_on")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="campaign_record_amount"),
            models.CheckConstraint(
                condition=~Q(kind__in=["micro_project", "service_fund"]) | Q(amount__isnull=False),
                name="campaign_record_money_has_amount"),
            models.CheckConstraint(
                condition=~Q(kind__in=["training", "model_commissioner"]) | Q(person__isnull=False),
                name="campaign_record_person_named"),
            models.CheckConstraint(
                condition=~Q(kind__in=["demonstration_compound", "beautiful_home"]) | Q(compound__isnull=False),
                name="campaign_record_compound_named"),
            models.CheckConstraint(condition=~Q(kind="joint_meeting") | Q(community__isnull=True),
                                   name="campaign_record_meeting_of_street"),
            models.CheckConstraint(condition=Q(compound__isnull=True) | Q(community__isnull=False),
                                   name="campaign_record_compound_in_community"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self):
        """Each kind names what it counts; the messages go to the fields concerned."""
        errors = {}
        kind = self.kind
        if kind in self.MONEY_KINDS and self.amount is None:
            errors["amount"] = _("Give the amount granted.")
        if kind not in self.MONEY_KINDS and self.amount is not None:
            errors["amount"] = _("Only a micro-project or a service fund has an amount.")
        if kind in self.PERSON_KINDS and self.person_id is None:
            errors["person"] = _("Choose the trainee or the commissioner.")
        if kind in self.COMPOUND_KINDS and self.compound_id is None:
            errors["compound"] = _("Choose the compound honoured.")
        if kind in self.STREET_KINDS and self.community_id is not None:
            errors["community"] = _("A street joint meeting is the street's: leave the community empty.")
        if kind and kind not in self.STREET_KINDS and kind != self.Kind.TRAINING and self.community_id is None \
                and self.compound_id is None:
            errors["community"] = _("Choose the community.")
        if self.compound_id and self.community_id and self.compound.community_id != self.community_id:
            errors["compound"] = _("This compound is not in the community chosen.")
        if self.street_id is None and self.community_id is None and self.compound_id is None:
            errors.setdefault("street", _("Choose the street or the community."))
        if errors:
            raise ValidationError(errors)
        self.derive_ancestors()

    def derive_ancestors(self) -> None:
        if self.compound_id:
            self.community_id = self.compound.community_id
        if self.community_id:
            self.street_id = self.community.street_id
        self.district_id = self.street.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)
