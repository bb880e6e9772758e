"""Party-organization members and cross-appointments (交叉任职)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, District, Person
from governance.models.bodies import BodyMember, PartyOrganization

# --- party-organization members and cross-appointments (交叉任职) ----------------------------------------------

class PartyOrganizationMember(models.Model):
    """A member of a party organization with their post; the one holding the secretary post is the
    organization's secretary (at most one, enforced by the database)."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        COMMITTEE_MEMBER = "committee_member", _("Committee member")
        MEMBER = "member", pgettext_lazy("party-organization post", "Member")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(
        Compound, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("compound")
    )
    organization = models.ForeignKey(
        PartyOrganization, models.CASCADE, related_name="members", verbose_name=_("party organization")
    )
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, default=Post.MEMBER)
    is_part_time = models.BooleanField(
        _("part-time member"), default=False,
        help_text=_("Serves part-time, e.g. an owners'-committee chair or a firm head on the community party "
                    "organization."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party-organization member")
        verbose_name_plural = _("party-organization members")
        ordering = ["organization_id", "post", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "person"], name="party_org_member_unique"),
            models.UniqueConstraint(fields=["organization"], condition=Q(post="secretary"),
                                    name="party_org_one_secretary"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_post_display()})"

    def derive_ancestors(self) -> None:
        org = self.organization
        self.district_id, self.community_id, self.compound_id = org.district_id, org.community_id, org.compound_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class CrossAppointment(models.Model):
    """One cross-appointment (交叉任职): a community committee member elected vice-chair of an owners'
    committee, or an owners'-committee chair or a property-firm head who is a party member serving part-time on
    the community party organization. It links the two seats the person holds."""

    class Kind(models.TextChoices):
        COMMUNITY_TO_COMMITTEE = "community_to_committee", _("Community committee member on the owners' committee")
        CHAIR_TO_PARTY = "chair_to_party", _("Owners'-committee chair on the community party organization")
        FIRM_HEAD_TO_PARTY = "firm_head_to_party", _("Property-firm head on the community party organization")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey("communities.Street", models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(
        Compound, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("compound"),
        help_text=_("The compound of the owners' committee; empty for a firm head."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    body_member = models.ForeignKey(
        BodyMember, models.CASCADE, null=True, blank=True, related_name="cross_appointments",
        verbose_name=_("seat on the owners' committee"),
    )
    party_post = models.ForeignKey(
        PartyOrganizationMember, models.CASCADE, related_name="cross_appointments",
        verbose_name=_("post in the community party organization"),
    )
    firm = models.ForeignKey(
        "properties.Firm", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("property firm")
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cross-appointment")
        verbose_name_plural = _("cross-appointments")
        ordering = ["community_id", "kind", "pk"]
        indexes = [models.Index(fields=["community", "kind"], name="cross_appointment_node")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="firm_head_to_party") | Q(body_member__isnull=False, compound__isnull=False),
                name="cross_appointment_committee_seat",
            ),
            models.CheckConstraint(
                condition=~Q(kind="firm_head_to_party") | Q(firm__isnull=False), name="cross_appointment_firm",
            ),
            models.UniqueConstraint(fields=["kind", "body_member"], name="cross_appointment_unique_seat"),
            models.UniqueConstraint(fields=["kind", "party_post"], name="cross_appointment_unique_post"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"
