"""Meetings, agenda items, votes and ballots, and the supervisory record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, District, Person

# --- meetings, agenda items, votes -----------------------------------------------------------------------------

class Meeting(models.Model):
    """A deliberation meeting of a compound (monthly consultation, council, the three consultations …)."""

    class Kind(models.TextChoices):
        MONTHLY_CONSULTATION = "monthly_consultation", _("Monthly consultation (branch and owners' committee)")
        COORDINATION = "coordination", _("Coordination meeting")
        QUARTERLY_COUNCIL = "quarterly_council", _("Quarterly council")
        ANNUAL_EVALUATION = "annual_evaluation", _("Annual evaluation meeting")
        DECISION_HEARING = "decision_hearing", _("Decision hearing")
        CONFLICT_COORDINATION = "conflict_coordination", _("Conflict coordination")
        GOVERNMENT_REVIEW = "government_review", _("Government-affairs review")
        OWNERS_ASSEMBLY = "owners_assembly", _("Owners' assembly")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="meetings", verbose_name=_("compound"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_at = models.DateTimeField(_("held at"))
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("convened by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return self.title

    def derive_ancestors(self) -> None:
        self.community_id, self.district_id = self.compound.community_id, self.compound.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class AgendaItem(models.Model):
    """A matter on a meeting's agenda; a major one needs the party organization's pre-review (先议先审) first."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="items", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_major = models.BooleanField(_("major matter"), default=False)
    pre_reviewed_at = models.DateTimeField(_("pre-reviewed at"), null=True, blank=True)
    pre_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("pre-reviewed by"),
    )
    pre_review_note = models.TextField(_("pre-review opinion"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "pk"]

    def __str__(self) -> str:
        return self.title

    def derive_ancestors(self) -> None:
        self.compound_id, self.district_id = self.meeting.compound_id, self.meeting.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Rule(models.TextChoices):
    RULE_5030 = "rule_5030", _("5030 rule (approval above 50%, opposition below 30%)")
    CIVIL_CODE_ORDINARY = "civil_code_ordinary", _("Civil Code art. 278, ordinary matter")
    CIVIL_CODE_SPECIAL = "civil_code_special", _("Civil Code art. 278, special matter (3/4)")
    SIMPLE_MAJORITY = "simple_majority", _("Simple majority")


class Vote(models.Model):
    """A vote on an agenda item, by the owners of the compound or, at a quarterly council, by the council's
    members (its electorate is fixed when it opens)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="votes", verbose_name=_("compound"))
    item = models.ForeignKey(AgendaItem, models.PROTECT, related_name="votes", verbose_name=_("agenda item"))
    rule = models.CharField(_("decision rule"), max_length=24, choices=Rule.choices)
    is_council = models.BooleanField(
        _("council vote"), default=False,
        help_text=_("Voted by the council members of the meeting rather than by the compound's owners."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.PENDING)
    opened_at = models.DateTimeField(_("opened at"))
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )
    # The counts at closing (area in m², exact decimals); live counts are computed from the ballots.
    counts = models.JSONField(_("counts at closing"), default=dict, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["deadline"], condition=Q(status="open"), name="vote_open_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=models.F("opened_at")), name="vote_deadline_after_open"),
            models.CheckConstraint(
                condition=Q(status="open", result="pending") | Q(status="closed", result__in=["passed", "failed"]),
                name="vote_result_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return str(self.item)

    def derive_ancestors(self) -> None:
        self.compound_id, self.district_id = self.item.compound_id, self.item.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Voter(models.Model):
    """One eligible voter of a vote: an owner, once by head, with the sum of the areas they represent."""

    vote = models.ForeignKey(Vote, models.CASCADE, related_name="voters", verbose_name=_("vote"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    area = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2)
    households = models.JSONField(_("households"), default=list)

    class Meta:
        verbose_name = _("eligible voter")
        verbose_name_plural = _("eligible voters")
        constraints = [
            models.UniqueConstraint(fields=["vote", "person"], name="voter_unique_person"),
            # A council member votes by head only (area 0); an owner always brings their floor area.
            models.CheckConstraint(condition=Q(area__gte=0), name="voter_area_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Ballot(models.Model):
    """One eligible voter's ballot on one vote: the database refuses a second one."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        OPPOSE = "oppose", _("Oppose")
        ABSTAIN = "abstain", _("Abstain")

    class Channel(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic")
        PAPER = "paper", _("Paper (entered by staff)")
        PROXY = "proxy", _("By proxy")

    vote = models.ForeignKey(Vote, models.CASCADE, related_name="ballots", verbose_name=_("vote"))
    voter = models.ForeignKey(Voter, models.CASCADE, related_name="ballots", verbose_name=_("voter"))
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ELECTRONIC)
    proxy_name = models.CharField(_("proxy holder"), max_length=50, blank=True)
    proxy_authorization = models.TextField(
        _("written authorization"), blank=True, help_text=_("Reference or text of the owner's written authorization."),
    )
    cast_at = models.DateTimeField(_("cast at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["vote_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="ballot_one_per_voter"),
            models.CheckConstraint(
                condition=~Q(channel="proxy") | (~Q(proxy_name="") & ~Q(proxy_authorization="")),
                name="ballot_proxy_has_authorization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter} · {self.get_choice_display()}"


class VoteEvent(models.Model):
    """What happened to a vote: opened, closed."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        CLOSED = "closed", _("Closed")

    vote = models.ForeignKey(Vote, models.CASCADE, related_name="events", verbose_name=_("vote"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("vote event")
        verbose_name_plural = _("vote events")
        ordering = ["vote_id", "at"]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.kind}"


class SupervisoryRecord(models.Model):
    """The supervisory board's record (一事一记): one matter, one record, published to the compound's owners."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(
        Compound, models.PROTECT, related_name="supervisory_records", verbose_name=_("compound")
    )
    item = models.OneToOneField(
        AgendaItem, models.PROTECT, related_name="record", verbose_name=_("agenda item"),
    )
    matter = models.CharField(_("matter"), max_length=200)
    meeting_kind = models.CharField(_("meeting kind"), max_length=24, choices=Meeting.Kind.choices)
    decision = models.TextField(_("decision"))
    recorded_at = models.DateTimeField(_("recorded at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervisory record")
        verbose_name_plural = _("supervisory records")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return self.matter
