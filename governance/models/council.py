"""Council members (5030 rule)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Person
from governance.models.meetings import Meeting

# --- council members (5030 rule) --------------------------------------------------------------------------------

class CouncilMember(models.Model):
    """A member of a quarterly council (议事会): the council's votes are cast by these members alone."""

    class Capacity(models.TextChoices):
        PARTY_BRANCH = "party_branch", _("Party branch")
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        SUPERVISORY_BOARD = "supervisory_board", _("Supervisory board")
        BUILDING_HEAD = "building_head", _("Building head")
        FIRM = "firm", _("Property firm representative")
        PARTY_MEMBER = "party_member", _("Party-member representative")
        RESIDENT = "resident", _("Resident representative")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="council", verbose_name=_("meeting"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity.choices)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["meeting_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="council_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_capacity_display()})"
