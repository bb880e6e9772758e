"""Property service firms (物业服务企业), their service contracts with compounds, their service menus, and the
street's fallback assignments of unmanaged compounds (清零)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Compound, District, ManagementMode
from properties.credit_code import validate_credit_code


class Firm(models.Model):
    """A property service firm registered in a district. Its staff are the members of its group."""

    district = models.ForeignKey(District, models.PROTECT, related_name="firms", verbose_name=_("district"))
    class Qualification(models.TextChoices):
        GRADE_1 = "grade_1", _("Grade 1")
        GRADE_2 = "grade_2", _("Grade 2")
        GRADE_3 = "grade_3", _("Grade 3")
        NONE = "none", _("No grade (after the 2018 reform)")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code],
        help_text=_("18 characters; the last is a check character (GB 32100)."),
    )
    qualification = models.CharField(
        _("qualification grade"), max_length=10, choices=Qualification.choices, default=Qualification.NONE
    )
    registered_address = models.CharField(_("registered address"), max_length=200, blank=True)
    service_phone = models.CharField(_("service hotline"), max_length=30, blank=True)
    party_member_staff = models.PositiveIntegerField(_("party members on the staff"), default=0)
    is_fallback = models.BooleanField(
        _("fallback firm"), default=False,
        help_text=_("Named by the district to take over unmanaged compounds (清零)."),
    )
    group = models.OneToOneField(Group, models.PROTECT, related_name="firm", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("property firm")
        verbose_name_plural = _("property firms")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="firm_unique_name"),
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""),
                                    name="firm_unique_credit_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A service contract of a firm with a compound; while active, the firm's staff reach the compound."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        ENDED_EARLY = "ended_early", _("Ended early")

    class Counterpart(models.TextChoices):
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        INTERIM_COMMITTEE = "interim_committee", _("Interim property management committee")
        DEVELOPER = "developer", _("Developer (preliminary contract)")
        STREET = "street", _("Street (fallback)")

    class ServiceGrade(models.TextChoices):
        GRADE_1 = "1", _("Service grade 1")
        GRADE_2 = "2", _("Service grade 2")
        GRADE_3 = "3", _("Service grade 3")
        GRADE_4 = "4", _("Service grade 4")
        GRADE_5 = "5", _("Service grade 5")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    firm = models.ForeignKey(Firm, models.PROTECT, related_name="contracts", verbose_name=_("property firm"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="contracts", verbose_name=_("compound"))
    counterpart = models.CharField(
        _("counterpart"), max_length=20, choices=Counterpart.choices, default=Counterpart.OWNERS_COMMITTEE
    )
    service_grade = models.CharField(_("service grade"), max_length=1, choices=ServiceGrade.choices, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    fee_standard = models.DecimalField(
        _("fee standard (yuan per m² a month)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The property fee the contract sets; a household's monthly bill is its floor area times this."),
    )
    # Set by the red/black list's two-strike rule (rankings): the owners may end the contract early.
    may_end_early_since = models.DateTimeField(_("may be ended early since"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-starts_on"]
        constraints = [
            # One active firm per compound at a time.
            models.UniqueConstraint(
                fields=["compound"], condition=Q(status="active"), name="contract_one_active_per_compound"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm} – {self.compound}"


class ContractDocument(models.Model):
    """A file of a contract: the signed contract, an annex, a tender notice… checked on upload (documents.py)."""

    contract = models.ForeignKey(Contract, models.CASCADE, related_name="documents", verbose_name=_("contract"))
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to="contracts/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["contract_id", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class ContractReminder(models.Model):
    """A reminder that a contract ends in 90 or 30 days, sent once per term end (the daily task may repeat)."""

    class Kind(models.IntegerChoices):
        DAYS_90 = 90, _("ends within 90 days")
        DAYS_30 = 30, _("ends within 30 days")

    contract = models.ForeignKey(Contract, models.CASCADE, related_name="reminders", verbose_name=_("contract"))
    ends_on = models.DateField(_("ends on"))
    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract reminder")
        verbose_name_plural = _("contract reminders")
        constraints = [
            models.UniqueConstraint(fields=["contract", "ends_on", "kind"], name="contract_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.get_kind_display()}"


class MenuGroup(models.TextChoices):
    DAILY_LIFE = "daily_life", _("Daily life")
    CULTURE_SPORTS = "culture_sports", _("Culture and sports")
    CARE = "care", _("Care for the old and young")
    LEGAL = "legal", _("Legal")


class ServiceMenuItem(models.Model):
    """One commitment of a firm's service menu (菜单式服务), for all its compounds or one of them."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="menu_items", verbose_name=_("property firm"))
    compound = models.ForeignKey(
        Compound, models.CASCADE, related_name="+", null=True, blank=True, verbose_name=_("compound"),
        help_text=_("Empty: offered in every compound the firm serves."),
    )
    group = models.CharField(_("group"), max_length=20, choices=MenuGroup.choices)
    title = models.CharField(_("service"), max_length=100)
    standard = models.CharField(_("standard"), max_length=300)
    price = models.DecimalField(
        _("price (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))], help_text=_("Empty: free of charge."),
    )
    response_hours = models.PositiveSmallIntegerField(_("response time (hours)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service menu item")
        verbose_name_plural = _("service menu items")
        ordering = ["firm_id", "group", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price is None


class FallbackAssignment(models.Model):
    """The street's assignment of an unmanaged compound to a fallback firm or a custodian: the day the compound
    was zeroed (清零) and the start-up money put in."""

    MODES = (ManagementMode.GOVERNMENT_FALLBACK, ManagementMode.COMMITTEE_CUSTODY,
             ManagementMode.SOCIAL_ORG_CUSTODY, ManagementMode.PUBLIC_WELFARE)

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street_id = models.BigIntegerField(editable=False)
    community_id = models.BigIntegerField(editable=False)
    compound = models.OneToOneField(
        Compound, models.PROTECT, related_name="fallback_assignment", verbose_name=_("compound")
    )
    mode = models.CharField(_("management mode"), max_length=24,
                            choices=[(m.value, m.label) for m in MODES])
    firm = models.ForeignKey(Firm, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("fallback firm"))
    custodian = models.CharField(_("custodian"), max_length=100, blank=True,
                                 help_text=_("The residents' committee, social organization or entity in charge."))
    startup_money = models.DecimalField(_("start-up money (yuan)"), max_digits=12, decimal_places=2,
                                        validators=[MinValueValidator(Decimal("0"))])
    zeroed_on = models.DateField(_("zeroed on"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("fallback assignment")
        verbose_name_plural = _("fallback assignments")
        ordering = ["-zeroed_on"]
        constraints = [
            # A fallback firm exactly when the mode is government fallback; a custodian for the other modes.
            models.CheckConstraint(
                condition=(Q(mode=ManagementMode.GOVERNMENT_FALLBACK, firm__isnull=False)
                           | (~Q(mode=ManagementMode.GOVERNMENT_FALLBACK) & Q(firm__isnull=True) & ~Q(custodian=""))),
                name="fallback_firm_or_custodian",
                violation_error_message=_("Government fallback needs a fallback firm and no custodian; a custody "
                                          "needs its custodian and no firm."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.compound)
