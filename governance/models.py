"""Party organizations and the compound bodies (owners' committee and others): the parts the foundation's
portal needs to say who leads a compound. Elections, vetting, meetings and votes build on these."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
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
    secretary = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("secretary")
    )
    contact_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["community_id", "name"]

    def __str__(self) -> str:
        return self.name

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
    """A vote on an agenda item, by the owners of the compound (its electorate is fixed when it opens)."""

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
            models.CheckConstraint(condition=Q(area__gt=0), name="voter_area_positive"),
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
