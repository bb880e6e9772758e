"""The three lists, the whistle list and department work requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Community, Department, District

# --- the three lists, the whistle list and department work requests ---------------------------------------------

class ListItem(models.Model):
    """One item of a district catalogue: the party-building list (11 items), the responsibility list (17), the
    access list (25 kinds of department work allowed into communities) and the whistle list (吹哨报到)."""

    class Kind(models.TextChoices):
        PARTY_BUILDING = "party_building", _("Party-building list")
        RESPONSIBILITY = "responsibility", _("Responsibility list")
        ACCESS = "access", _("Access list")
        WHISTLE = "whistle", _("Whistle list")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    kind = models.CharField(_("list"), max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("item"), max_length=200)
    department_kind = models.CharField(
        _("department"), max_length=24, choices=Department.Kind.choices, blank=True,
        help_text=_("The kind of department that carries the item out, where there is one."),
    )
    is_active = models.BooleanField(_("in force"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["district_id", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["district", "kind", "number"], name="list_item_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}. {self.title}"


class WorkRequest(models.Model):
    """A department's request to bring work into a community (工作事项进社区): allowed at once for an item on the
    access list, otherwise only after the street office approves it."""

    class Status(models.TextChoices):
        ALLOWED = "allowed", _("Allowed (on the access list)")
        PENDING = "pending", _("Awaiting the street office")
        APPROVED = "approved", _("Approved by the street office")
        REFUSED = "refused", _("Refused by the street office")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey("communities.Street", models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name=_("department"))
    list_item = models.ForeignKey(
        ListItem, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("access-list item")
    )
    title = models.CharField(_("work"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("street office's note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department work request")
        verbose_name_plural = _("department work requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="allowed") | Q(list_item__isnull=False), name="work_request_allowed_by_list"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def may_proceed(self) -> bool:
        return self.status in (self.Status.ALLOWED, self.Status.APPROVED)

    def derive_ancestors(self) -> None:
        self.street_id, self.district_id = self.community.street_id, self.community.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)
