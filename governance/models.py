"""Party organizations and the compound bodies (owners' committee and others): the parts the foundation's
portal needs to say who leads a compound. Elections, vetting, meetings and votes build on these."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, Department, District, Person


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
            if member.post == PartyOrganizationMember.Post.SECRETARY:
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


# --- candidates and joint vetting (资格联审) ------------------------------------------------------------------

class Candidate(models.Model):
    """A person in a compound's candidate pool (候选人储备库) for its owners' committee."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="candidates", verbose_name=_("compound"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    is_party_member = models.BooleanField(_("party member"), default=False)
    nominated_on = models.DateField(_("nominated on"), auto_now_add=True)
    elected_to = models.ForeignKey(
        Body, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("elected to")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["compound_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["compound", "person"], name="candidate_unique_person")]

    def __str__(self) -> str:
        return str(self.person)

    def derive_ancestors(self) -> None:
        self.community_id, self.district_id = self.compound.community_id, self.compound.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Vetting(models.Model):
    """One department's answer on one candidate: pass or fail, with a reason."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="vettings", verbose_name=_("candidate"))
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name=_("department"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vetting")
        verbose_name_plural = _("vettings")
        ordering = ["candidate_id", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "department"], name="vetting_unique_department"),
            models.CheckConstraint(condition=~Q(outcome="fail") | ~Q(reason=""), name="vetting_fail_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.department} · {self.get_outcome_display()}"


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


class Evaluation(models.Model):
    """The annual evaluation of an owners' committee or self-management committee; history is kept."""

    class Rating(models.TextChoices):
        TRUSTWORTHY = "trustworthy", _("Trustworthy")
        AVERAGE = "average", _("Average")
        NOT_TRUSTWORTHY = "not_trustworthy", _("Not trustworthy")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    body = models.ForeignKey(Body, models.CASCADE, related_name="evaluations", verbose_name=_("body"))
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
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


# --- campaign targets -------------------------------------------------------------------------------------------

class CampaignTarget(models.Model):
    """One row of a district's campaign table (攻坚任务清单): a task, the measure computed from the data, the target
    value, the lead and responsible units and the deadline."""

    class Measure(models.TextChoices):
        PARTY_ORGANIZATION_COVERAGE = "party_organization_coverage", _("Compounds with a party organization")
        COMMISSIONER_COVERAGE = "commissioner_coverage", _("Compounds with a commissioner")
        OWNERS_COMMITTEE_COVERAGE = "owners_committee_coverage", _("Compounds with an owners' committee")
        COMMITTEE_PARTY_MEMBER_SHARE = "committee_party_member_share", _("Party members on new committees")
        COMMITTEE_PARTY_COVERAGE = "committee_party_coverage", _("Committees covered by a party organization")
        MEMBER_REPORTING_RATE = "member_reporting_rate", _("In-service party members reported to the community")
        BUILDING_HEAD_COVERAGE = "building_head_coverage", _("Buildings with a building head")
        ELECTRONIC_BALLOT_SHARE = "electronic_ballot_share", _("Ballots cast electronically")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    number = models.PositiveSmallIntegerField(_("number"))
    task = models.TextField(_("task"))
    measure = models.CharField(
        _("measure"), max_length=32, choices=Measure.choices, blank=True,
        help_text=_("Leave empty for a task that the data cannot measure."),
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=5, decimal_places=4, null=True, blank=True,
        help_text=_("A share between 0 and 1, e.g. 0.95 for 95%."),
    )
    starts_on = models.DateField(
        _("campaign starts on"), null=True, blank=True,
        help_text=_("Committees formed from this day count as new."),
    )
    lead_units = models.CharField(_("lead units"), max_length=200)
    responsible_units = models.CharField(_("responsible units"), max_length=200)
    deadline = models.DateField(_("deadline"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["district_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "number"], name="campaign_target_unique_number"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0, target_value__lte=1),
                name="campaign_target_value_share",
            ),
            models.CheckConstraint(
                condition=Q(measure="") | Q(target_value__isnull=False), name="campaign_target_measured_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.task[:60]}"


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
