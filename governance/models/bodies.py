"""Party organizations and the compound bodies with their members: who leads a compound."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, District, Person


class PartyOrganization(models.Model):
    """A party organization attached to a community or a compound (or a firm, later)."""

    class Kind(models.TextChoices):
        COMMUNITY_COMMITTEE = "community_committee", _("Community party committee")
        JOINT_COMMITTEE = "joint_committee", _("Joint party committee")
        COMPOUND_BRANCH = "compound_branch", _("Compound or grid branch")
        BUILDING_GROUP = "building_group", _("Building party group")
        OWNERS_COMMITTEE_BRANCH = "owners_committee_branch", _("Owners' committee branch")
        FIRM_BRANCH = "firm_branch", _("Property firm branch")
        INDUSTRY_COMMITTEE = "industry_committee", _("Industry party committee")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(
        Compound, models.PROTECT, null=True, blank=True, related_name="party_organizations",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # The secretary is the member holding the secretary post (PartyOrganizationMember): one source of truth.
    contact_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["community_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def secretary(self) -> Person | None:
        """The member holding the secretary post, or None (prefetch `members` to read it without a query)."""
        for member in self.members.all():
            if member.post == member.Post.SECRETARY:
                return member.person
        return None

    def derive_ancestors(self) -> None:
        if self.compound_id:
            self.community_id = self.compound.community_id
        self.district_id = self.community.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Body(models.Model):
    """A compound body: owners' committee, interim management committee, supervisory board, self-management."""

    class Kind(models.TextChoices):
        OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
        INTERIM_COMMITTEE = "interim_committee", _("Interim property management committee")
        SUPERVISORY_BOARD = "supervisory_board", _("Supervisory board")
        SELF_MANAGEMENT = "self_management", _("Self-management committee")

    # Two rules name sets of kinds, and they differ on purpose. The owners' own committees (an owners'
    # committee, the interim committee that stands in for one, or self-management) handle the compound's
    # petitions and are evaluated each year. Only the first two count as "the compound has an owners'
    # committee" (coverage targets, council members, the portal's who-is-who): self-management is the owners
    # managing without a firm, not a committee elected under the Civil Code.
    SELF_GOVERNING_KINDS = (Kind.OWNERS_COMMITTEE, Kind.INTERIM_COMMITTEE, Kind.SELF_MANAGEMENT)
    OWNERS_COMMITTEE_KINDS = (Kind.OWNERS_COMMITTEE, Kind.INTERIM_COMMITTEE)

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="bodies", verbose_name=_("compound"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compound body")
        verbose_name_plural = _("compound bodies")
        ordering = ["compound_id", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(formed_on__isnull=True)
                | Q(term_ends_on__gt=models.F("formed_on")),
                name="body_term_after_formation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.get_kind_display()}"

    def derive_ancestors(self) -> None:
        self.district_id = self.compound.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class BodyMember(models.Model):
    """A member of a compound body with their office in it."""

    class Office(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")

    body = models.ForeignKey(Body, models.CASCADE, related_name="members", verbose_name=_("body"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    office = models.CharField(_("office"), max_length=12, choices=Office.choices, default=Office.MEMBER)
    is_party_member = models.BooleanField(_("party member"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body_id", "office"]
        constraints = [models.UniqueConstraint(fields=["body", "person"], name="body_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_office_display()})"
