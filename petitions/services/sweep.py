"""The deadline sweep (Celery beat, every minute)."""

import dataclasses

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import notify
from petitions.models import (
    OPEN_STATES,
    CloseReason,
    DeadlineKind,
    EscalationLevel,
    EventKind,
    Petition,
    Status,
    Whistle,
)
from petitions.services.common import _event
from petitions.services.escalation import EscalationBatch, _escalate
from petitions.services.rating import _close

# The sweep's timeline note, one whole sentence per kind of deadline (word order differs between languages).
# A missed rating deadline closes the petition instead (see _sweep_one), so it has no sentence here.
DEADLINE_PASSED = {
    DeadlineKind.ACCEPT: gettext_lazy("The deadline to accept the petition passed."),
    DeadlineKind.RESOLVE: gettext_lazy("The deadline to resolve the petition passed."),
}

# --- the deadline sweep -----------------------------------------------------------------------------------

@dataclasses.dataclass
class SweepResult:
    escalated: int = 0
    overdue_at_top: int = 0
    closed_unrated: int = 0
    departments_late: int = 0
    petition_ids: list = dataclasses.field(default_factory=list)
    # The current transaction's escalations, written together at its end (EscalationBatch).
    batch: EscalationBatch = dataclasses.field(default_factory=EscalationBatch, repr=False, compare=False)

    @property
    def total(self) -> int:
        return self.escalated + self.overdue_at_top + self.closed_unrated + self.departments_late


def _due_petitions(now):
    return Petition.objects.filter(status__in=OPEN_STATES, deadline__lte=now).order_by("deadline", "pk")


def _due_whistles(now):
    return Whistle.objects.filter(answered_at__isnull=True, is_late=False, due_at__lte=now).order_by("due_at", "pk")


def sweep_deadlines(*, now=None, batch_size: int = 200, dry_run: bool = False, max_batches=None) -> SweepResult:
    """Escalates (or closes as not rated) every petition whose deadline has passed as of `now`, and flags late
    departments. Each batch claims its rows with FOR UPDATE SKIP LOCKED and re-checks them under the lock, so
    concurrent or repeated sweeps handle each deadline exactly once."""
    now = now or timezone.now()
    result = SweepResult()
    if dry_run:
        for petition in _due_petitions(now).only("pk", "status", "level"):
            result.petition_ids.append(petition.pk)
            if petition.status == Status.RESOLVED:
                result.closed_unrated += 1
            elif petition.level == EscalationLevel.DISTRICT:
                result.overdue_at_top += 1
            else:
                result.escalated += 1
        result.departments_late = _due_whistles(now).count()
        return result
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            due = list(
                _due_petitions(now).select_for_update(skip_locked=True, of=("self",))
                .select_related("category")[:batch_size]
            )
            for petition in due:
                _sweep_one(petition, now, result)
            result.batch.flush()
        if len(due) < batch_size:
            break
    while True:
        with transaction.atomic():
            late = list(_due_whistles(now).select_for_update(skip_locked=True, of=("self",))
                        .select_related("department", "petition")[:batch_size])
            for whistle in late:
                whistle.is_late = True
                whistle.save(update_fields=["is_late"])
                _event(whistle.petition, EventKind.DEPARTMENT_LATE, at=now, department=whistle.department)
                notify([whistle.blown_by_id], target=whistle.petition,
                       subject=_("%(department)s is late on petition #%(id)s") % {
                           "department": whistle.department.name, "id": whistle.petition_id})
                result.departments_late += 1
        if len(late) < batch_size:
            break
    return result


def _sweep_one(petition: Petition, now, result: SweepResult) -> None:
    # The row was read under its lock in this transaction: the guard below holds against any other sweep.
    if petition.status not in OPEN_STATES or petition.deadline is None or petition.deadline > now:
        return
    result.petition_ids.append(petition.pk)
    if petition.status == Status.RESOLVED:
        _close(petition, reason=CloseReason.NOT_RATED, actor=None, now=now,
               note=_("No rating within 7 days."))
        result.closed_unrated += 1
        return
    petition.missed_deadlines += 1
    if _escalate(petition, now=now, note=str(DEADLINE_PASSED[petition.deadline_kind]), batch=result.batch) is None:
        result.overdue_at_top += 1
    else:
        result.escalated += 1
