"""Property service firms (物业服务企业) and their service contracts with compounds."""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Compound, District


class Firm(models.Model):
    """A property service firm registered in a district. Its staff are the members of its group."""

    district = models.ForeignKey(District, models.PROTECT, related_name="firms", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    service_phone = models.CharField(_("service hotline"), max_length=30, blank=True)
    group = models.OneToOneField(Group, models.PROTECT, related_name="firm", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("property firm")
        verbose_name_plural = _("property firms")
        ordering = ["district_id", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="firm_unique_name")]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A service contract of a firm with a compound; while active, the firm's staff reach the compound."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    firm = models.ForeignKey(Firm, models.PROTECT, related_name="contracts", verbose_name=_("property firm"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="contracts", verbose_name=_("compound"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    fee_standard = models.DecimalField(
        _("fee standard (yuan per m² a month)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The property fee the contract sets; a household's monthly bill is its floor area times this."),
    )
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
