"""Complaints and requests (报事报修/投诉): the category catalogue, petitions with their state and deadline, the
immutable timeline, photos, the whistle to departments (街镇吹哨、部门报到). Notices are the `notifications` app's.

The state machine is the table `TRANSITIONS`; only `Petition.transition_to`, called by the services, moves a
petition. The current deadline is a column with a partial index on the open states, swept every minute by a
Celery beat task (no per-petition ETA tasks: they live in broker memory and are redelivered in loops).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Building, Community, Compound, Department, District, Street
from core.errors import DomainError


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    TRANSFERRED = "transferred", _("Transferred")
    REOPENED = "reopened", _("Reopened")


# The one table of allowed moves. Closing from an open state is the merge of a duplicate into its original.
TRANSITIONS: dict[str, frozenset] = {
    Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.REJECTED, Status.TRANSFERRED, Status.CLOSED}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.TRANSFERRED, Status.REJECTED,
                                Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.TRANSFERRED, Status.CLOSED}),
    Status.TRANSFERRED: frozenset({Status.ACCEPTED, Status.REJECTED, Status.TRANSFERRED, Status.CLOSED}),
    Status.REOPENED: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.TRANSFERRED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset(),
    Status.REJECTED: frozenset(),
}
# States with a running clock: what the sweep looks at and the partial index covers.
OPEN_STATES = (
    Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.TRANSFERRED, Status.REOPENED, Status.RESOLVED,
)
# Open and waiting for the offices: everything open but a resolved petition, which waits for the resident's rating.
HANDLER_TURN_STATES = tuple(s for s in OPEN_STATES if s != Status.RESOLVED)
# States in which the handler still owes the resident an answer.
WORKING_STATES = (Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED)


class Source(models.TextChoices):
    PORTAL = "portal", _("Online portal")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    LETTERS_VISITS = "letters_visits", _("Letters and visits")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    CONSULTATION_BELL = "consultation_bell", _("Consultation bell")


class EscalationLevel(models.TextChoices):
    COMPOUND = "compound", _("Compound")
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


LEVEL_ORDER = [EscalationLevel.COMPOUND, EscalationLevel.COMMUNITY, EscalationLevel.STREET, EscalationLevel.DISTRICT]


def next_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


class HandlerKind(models.TextChoices):
    FIRM = "firm", _("Property firm")
    COMMITTEE = "committee", _("Owners' or self-management committee")
    COMMUNITY_OFFICE = "community_office", _("Community office")
    DEPARTMENT = "department", _("Government department")


class DeadlineKind(models.TextChoices):
    ACCEPT = "accept", _("To accept")
    RESOLVE = "resolve", _("To resolve")
    RATE = "rate", _("To rate")


class CloseReason(models.TextChoices):
    RATED = "rated", _("Rated")
    NOT_RATED = "not_rated", _("Not rated")
    MERGED = "merged", _("Merged into another petition")


# The petitions every rate counts (resolution, on time, settled in the compound, escalated, satisfaction and
# rating, in the dashboards, the strength index and the firms' evaluation alike): neither rejected (never the
# platform's to handle) nor merged (its original's matter, counted there). Volumes count every petition.
COUNTED = ~models.Q(status=Status.REJECTED) & ~models.Q(close_reason=CloseReason.MERGED)


RATING_WINDOW = datetime.timedelta(days=7)
DUPLICATE_WINDOW = datetime.timedelta(days=7)


class Category(models.Model):
    """A kind of matter in a district's catalogue, with its routing and time limits (事项目录)."""

    class Routing(models.TextChoices):
        BY_MANAGEMENT_MODE = "by_mode", _("By the compound's management mode")
        COMMUNITY_OFFICE = "community_office", _("Always the community office")
        DEPARTMENT = "department", _("A government department")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    routing = models.CharField(
        _("routing"), max_length=20, choices=Routing.choices, default=Routing.BY_MANAGEMENT_MODE
    )
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department"),
        help_text=_("The department that handles this category when routed to a department."),
    )
    accept_hours = models.PositiveIntegerField(
        _("hours to accept"), default=24, validators=[MinValueValidator(1)]
    )
    resolve_hours = models.PositiveIntegerField(
        _("hours to resolve"), default=72, validators=[MinValueValidator(1)]
    )
    department_hours = models.PositiveIntegerField(
        _("hours for a whistled department to answer"), default=48, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="petition_category_unique_code"),
            models.CheckConstraint(
                condition=~Q(routing="department") | Q(department__isnull=False),
                name="petition_category_department_routing_has_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.routing == self.Routing.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("Choose the department this category is routed to.")})
        if self.department_id and self.department.district_id != self.district_id:
            raise ValidationError({"department": _("The department must be in the category's district.")})

    def limit(self, kind: str) -> datetime.timedelta:
        if kind == DeadlineKind.ACCEPT:
            return datetime.timedelta(hours=self.accept_hours)
        if kind == DeadlineKind.RATE:
            return RATING_WINDOW
        return datetime.timedelta(hours=self.resolve_hours)


class DepartmentLimit(models.Model):
    """How long a whistled department has to answer: for one category, or for all (category left empty).
    Without a row, the category's own limit for departments applies."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    department = models.ForeignKey(
        Department, models.CASCADE, related_name="+", verbose_name=_("department")
    )
    category = models.ForeignKey(
        Category, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("category"),
        help_text=_("Leave empty for every category."),
    )
    answer_hours = models.PositiveIntegerField(_("hours to answer"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("department time limit")
        verbose_name_plural = _("department time limits")
        ordering = ["department_id", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "category"], name="department_limit_unique"),
            models.UniqueConstraint(
                fields=["department"], condition=Q(category__isnull=True), name="department_limit_unique_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.category or '*'} · {self.answer_hours} h"

    def derive_ancestors(self) -> None:
        self.district_id = self.department.district_id

    def clean(self):
        if self.category_id and self.department_id and self.category.district_id != self.department.district_id:
            raise ValidationError({"category": _("The category must be in the department's district.")})

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)

    @classmethod
    def hours_for(cls, department_id: int, category: "Category") -> int:
        rows = dict(
            cls.objects.filter(department_id=department_id)
            .filter(Q(category=category) | Q(category__isnull=True)).values_list("category_id", "answer_hours")
        )
        return rows.get(category.pk) or rows.get(None) or category.department_hours


class Petition(models.Model):
    """A complaint or repair request (诉求) about a compound, from any channel, until the resident rates it."""

    # No index of their own for the place columns, the reporter and the handling firm: each leads a composite
    # index in Meta.indexes, which serves its lookups and its key's checks as well (ADR 0012).
    district = models.ForeignKey(
        District, models.PROTECT, related_name="+", verbose_name=_("district"), db_index=False
    )
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"), db_index=False)
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="+", verbose_name=_("community"), db_index=False
    )
    compound = models.ForeignKey(
        Compound, models.PROTECT, related_name="petitions", verbose_name=_("compound"), db_index=False
    )
    building = models.ForeignKey(
        Building, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    spot = models.CharField(_("spot"), max_length=100, blank=True)
    category = models.ForeignKey(Category, models.PROTECT, related_name="petitions", verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=4000)
    source = models.CharField(_("channel"), max_length=20, choices=Source.choices, default=Source.PORTAL)
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="petitions",
        verbose_name=_("reporter"), db_index=False,
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    anonymous = models.BooleanField(
        _("anonymous to the handler"), default=False,
        help_text=_("Staff from the community up still see who reported it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    level = models.CharField(
        _("level"), max_length=12, choices=EscalationLevel.choices, default=EscalationLevel.COMPOUND
    )
    handler_kind = models.CharField(_("handler"), max_length=20, choices=HandlerKind.choices)
    handler_firm = models.ForeignKey(
        "properties.Firm", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handling firm"),
        db_index=False,
    )
    handler_department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("handling department"),
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    deadline_kind = models.CharField(
        _("deadline for"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.ACCEPT
    )
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    missed_deadlines = models.PositiveSmallIntegerField(_("missed deadlines"), default=0)

    reply = models.TextField(_("reply to the resident"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    low_ratings = models.PositiveSmallIntegerField(_("ratings of 2 or less"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    close_reason = models.CharField(_("closed as"), max_length=12, choices=CloseReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates", verbose_name=_("duplicate of")
    )

    created_at = models.DateTimeField(_("created at"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    settled_level = models.CharField(
        _("settled at level"), max_length=12, choices=EscalationLevel.choices, blank=True,
        help_text=_("The level the petition was at when first resolved."),
    )
    resolved_on_time = models.BooleanField(_("resolved on time"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at"]
        constraints = [
            # The same reference from the same channel is accepted once (re-imported hotline batches).
            models.UniqueConstraint(
                fields=["district", "source", "external_ref"], condition=~Q(external_ref=""),
                name="petition_unique_external_ref",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="petition_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(handler_kind="firm") | Q(handler_firm__isnull=False), name="petition_firm_handler_set"
            ),
            models.CheckConstraint(
                condition=~Q(handler_kind="department") | Q(handler_department__isnull=False),
                name="petition_department_handler_set",
            ),
        ]
        indexes = [
            # The sweep's index: only rows with a running clock, so its cost follows the overdue ones.
            models.Index(fields=["deadline"], condition=Q(status__in=OPEN_STATES), name="petition_open_deadline"),
            # The composites below also serve their first column alone (its foreign key has no index of its own).
            # A compound's petitions newest first (its page, a commissioner's list) and those of the duplicate
            # window (filtered by category: a compound's week is a few rows), ADR 0012.
            models.Index(fields=["compound", "created_at"], name="petition_compound_created"),
            models.Index(fields=["district", "created_at"], name="petition_district_created"),
            models.Index(fields=["street", "created_at"], name="petition_street_created"),
            models.Index(fields=["community", "created_at"], name="petition_community_created"),
            models.Index(fields=["handler_firm", "status"], name="petition_firm_status"),
            models.Index(fields=["reporter", "created_at"], name="petition_reporter_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        return bool(self.is_open and self.deadline and self.deadline < (now or timezone.now()))

    def transition_to(self, status: str) -> str:
        """Moves to `status` if the table allows it; returns the former status, or refuses with a domain error."""
        if status not in TRANSITIONS[self.status]:
            raise DomainError(
                _gettext("A petition that is %(from)s cannot become %(to)s.")
                % {"from": Status(self.status).label, "to": Status(status).label},
                field="status",
            )
        previous, self.status = self.status, status
        return previous

    def restart_clock(self, kind: str, now) -> None:
        self.deadline_kind = kind
        self.deadline = now + self.category.limit(kind)


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    TRANSITION = "transition", _("Status changed")
    REPLY = "reply", _("Reply")
    RATED = "rated", _("Rated")
    ESCALATED = "escalated", _("Escalated")
    OVERDUE = "overdue", _("Overdue at the top level")
    WHISTLE = "whistle", _("Whistle to departments")
    DEPARTMENT_ACKNOWLEDGED = "dept_ack", _("Department acknowledged")
    DEPARTMENT_ANSWERED = "dept_answer", _("Department answered")
    DEPARTMENT_LATE = "dept_late", _("Department late")
    MERGED = "merged", _("Merged")
    URGED = "urged", _("Handler urged")
    NOTE = "note", _("Note")


class PetitionEvent(models.Model):
    """One line of a petition's timeline; never changed or deleted."""

    # No index of its own: `petition_event_timeline` (petition, at) serves it (ADR 0012).
    petition = models.ForeignKey(
        Petition, models.CASCADE, related_name="events", verbose_name=_("petition"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor"),
        help_text=_("Empty for the system (deadline sweeps)."),
    )
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(_("from status"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices, blank=True)
    from_level = models.CharField(_("from level"), max_length=12, choices=EscalationLevel.choices, blank=True)
    to_level = models.CharField(_("to level"), max_length=12, choices=EscalationLevel.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["petition", "at"], name="petition_event_timeline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise DomainError(_gettext("Timeline events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError(_gettext("Timeline events cannot be deleted."))


def attachment_path(instance, filename: str) -> str:
    return f"petitions/{instance.petition_id}/{filename}"


class PetitionAttachment(models.Model):
    """A photo of a petition (content-checked on upload), or a document attached to a timeline event."""

    petition = models.ForeignKey(
        Petition, models.CASCADE, related_name="attachments", verbose_name=_("petition")
    )
    event = models.ForeignKey(
        PetitionEvent, models.CASCADE, null=True, blank=True, related_name="attachments", verbose_name=_("event")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name


class Whistle(models.Model):
    """A department called in by the street (街镇吹哨、部门报到); it must acknowledge and answer in time."""

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="whistles", verbose_name=_("petition"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="whistles", verbose_name=_("department")
    )
    blown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("blown by")
    )
    blown_at = models.DateTimeField(_("blown at"))
    due_at = models.DateTimeField(_("answer due"))
    note = models.TextField(_("note"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        ordering = ["-blown_at"]
        constraints = [
            # One open call per department and petition: a second whistle waits for the first answer.
            models.UniqueConstraint(
                fields=["petition", "department"], condition=Q(answered_at__isnull=True),
                name="whistle_one_open_per_department",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(answered_at__isnull=True, is_late=False), name="whistle_open_due"
            ),
            models.Index(fields=["department", "blown_at"], name="whistle_department_blown"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · #{self.petition_id}"


class FigureSpan(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class PetitionFigures(models.Model):
    """The figures of one node's petitions created on one day or in one month (投诉统计汇总), summed so that
    dashboards never group a million raw rows per page view. Derived data: `petitions.figures` recomputes a
    node-day from the raw rows after each change (Celery, on commit) and rebuilds every row nightly."""

    span = models.CharField(_("span"), max_length=5, choices=FigureSpan.choices)
    level = models.CharField(_("level"), max_length=12, choices=EscalationLevel.choices)
    node_id = models.PositiveIntegerField(pgettext_lazy("hierarchy", "node"))
    district_id = models.PositiveIntegerField(_("district"))
    start = models.DateField(_("first day"))
    # Volumes (total, by channel and category), durations and departments' answers count every petition; the
    # counts behind the rates (resolved … rating_sum) only the petitions neither rejected nor merged
    # (`COUNTED`): a rejected petition was never the platform's to handle, a merged one is its original's matter.
    total = models.PositiveIntegerField(_("petitions"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    merged = models.PositiveIntegerField(_("merged"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    on_time = models.PositiveIntegerField(_("resolved on time"), default=0)
    in_compound = models.PositiveIntegerField(_("settled inside the compound"), default=0)
    escalated = models.PositiveIntegerField(_("escalated"), default=0)
    ratings = models.PositiveIntegerField(_("ratings given"), default=0)
    satisfied = models.PositiveIntegerField(_("ratings of 4 or 5"), default=0)
    # The petitions by their latest rating (a reopened petition rated again counts once): the dashboards'
    # children columns count these, where the node's figures count every rating given.
    rated = models.PositiveIntegerField(_("petitions rated"), default=0)
    rated_satisfied = models.PositiveIntegerField(_("petitions last rated 4 or 5"), default=0)
    rating_sum = models.PositiveIntegerField(_("sum of the latest ratings"), default=0)
    by_channel = models.JSONField(_("by channel"), default=dict)
    by_category = models.JSONField(_("by category"), default=dict)
    to_accept = models.JSONField(_("times to accept (histogram)"), default=dict)
    to_resolve = models.JSONField(_("times to resolve (histogram)"), default=dict)
    departments = models.JSONField(_("whistled departments"), default=dict)

    class Meta:
        verbose_name = _("petition figures")
        verbose_name_plural = _("petition figures")
        constraints = [
            models.UniqueConstraint(fields=["span", "level", "node_id", "start"], name="petition_figures_unique"),
        ]
        indexes = [models.Index(fields=["district_id", "start"], name="petition_figures_district")]

    def __str__(self) -> str:
        return f"{self.level} {self.node_id} · {self.span} {self.start}"
