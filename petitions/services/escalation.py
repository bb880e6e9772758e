"""Escalation up the levels and the whistle to departments."""

import dataclasses
import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Department, Role
from communities.scope import scope_for
from communities.selectors import users_with_role
from core.errors import DomainError
from notifications.services import notify, notify_many
from petitions import figures
from petitions.handlers import LEVEL_OFFICES
from petitions.models import (
    HANDLER_TURN_STATES,
    DepartmentLimit,
    EscalationLevel,
    EventKind,
    Petition,
    PetitionEvent,
    Whistle,
    next_level,
)
from petitions.policies import petition_policy
from petitions.services.common import _event, _lock
from petitions.services.routing import level_office_user_ids

# --- escalation and the whistle ---------------------------------------------------------------------------

@dataclasses.dataclass
class EscalationBatch:
    """The writes of many escalations in one transaction (the deadline sweep's batch), made at `flush`: the
    petitions in one UPDATE, their timeline events in one INSERT, the notices in one INSERT with one delivery task
    after commit, and each office's users read once per node. Measured against one UPDATE, one INSERT, one role
    query, one notices INSERT and one broker publish per petition (benchmarks/README.md, peer benchmark)."""

    petitions: list = dataclasses.field(default_factory=list)
    events: list = dataclasses.field(default_factory=list)
    notices: list = dataclasses.field(default_factory=list)
    _offices: dict = dataclasses.field(default_factory=dict)

    def office_user_ids(self, petition: Petition, level: str) -> list[int]:
        office = LEVEL_OFFICES.get(level)
        if office is not None:  # e.g. the community office of the petition's community
            key = (level, tuple(office.node(petition).items()))
        else:
            key = (level, petition.handler_kind, petition.handler_firm_id, petition.handler_department_id,
                   petition.compound_id, petition.community_id)
        if key not in self._offices:
            self._offices[key] = level_office_user_ids(petition, level)
        return self._offices[key]

    def flush(self) -> None:
        if self.petitions:
            _update_escalated(self.petitions)
        PetitionEvent.objects.bulk_create(self.events)
        notify_many(self.notices)
        self.petitions, self.events, self.notices = [], [], []


def _update_escalated(petitions: list[Petition]) -> None:
    """The escalation fields of many locked petitions in one UPDATE over arrays of their values (the ORM's
    `bulk_update` compiles a CASE per field and row: it took longer than the statement ran)."""
    if connection.vendor != "postgresql":  # no unnest
        Petition.objects.bulk_update(petitions, _ESCALATION_FIELDS)
        return
    qn = connection.ops.quote_name
    fields = [Petition._meta.get_field(name) for name in _ESCALATION_FIELDS]
    types = ["bigint", *(f.db_type(connection) for f in fields)]  # the arrays' casts follow the model
    columns = ["id", *(f.column for f in fields)]
    sets = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields)
    arrays = [[p.pk for p in petitions]]
    arrays += [[f.get_db_prep_save(getattr(p, f.attname), connection) for p in petitions] for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(Petition._meta.db_table)} p SET {sets} "
            f"FROM unnest({', '.join(f'%s::{t}[]' for t in types)}) AS v({', '.join(qn(c) for c in columns)}) "
            f"WHERE p.id = v.id",
            arrays,
        )


_ESCALATION_FIELDS = ["level", "escalations", "deadline", "deadline_kind", "missed_deadlines"]


def _escalate(petition: Petition, *, now, actor=None, note="", batch: EscalationBatch | None = None) -> str | None:
    """Moves the petition one level up and restarts its clock; at the top, restarts the clock and says so.
    With a `batch`, the writes wait for its flush (in the same transaction)."""
    to = next_level(petition.level)
    petition.restart_clock(petition.deadline_kind, now)
    offices = batch.office_user_ids if batch is not None else level_office_user_ids
    if to is None:
        event = {"kind": EventKind.OVERDUE, "from_level": petition.level, "to_level": petition.level}
        subject = _("Petition #%(id)s is overdue at district level") % {"id": petition.pk}
        recipients = offices(petition, petition.level)
        fields = ["deadline", "deadline_kind", "missed_deadlines"]
    else:
        previous, petition.level = petition.level, to
        petition.escalations += 1
        event = {"kind": EventKind.ESCALATED, "from_level": previous, "to_level": to}
        subject = _("Petition #%(id)s escalated to %(level)s level") % {
            "id": petition.pk, "level": EscalationLevel(to).label
        }
        recipients = offices(petition, to) + [petition.reporter_id]
        fields = _ESCALATION_FIELDS
    if batch is None:
        petition.save(update_fields=fields)
        _event(petition, actor=actor, at=now, note=note, **event)
        notify(recipients, target=petition, subject=subject)
    else:
        batch.petitions.append(petition)
        batch.events.append(PetitionEvent(petition=petition, actor=actor if actor and actor.is_authenticated else None,
                                          at=now, note=note, **event))
        batch.notices.append((recipients, petition, subject))
        figures.touch(petition)  # as _event does: the escalation counts in the petition's day once committed
    return to


@transaction.atomic
def petition_whistle(*, actor, petition: Petition, departments: Iterable, note: str = "", now=None) -> list[Whistle]:
    """The street blows the whistle: each department must acknowledge and answer within its limit."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "whistle", petition)
    if petition.status not in HANDLER_TURN_STATES:
        raise DomainError(_("Only an open petition can be whistled."), field="status")
    ids = {d.pk if isinstance(d, Department) else int(d) for d in departments}
    found = list(Department.objects.filter(pk__in=ids, district_id=petition.district_id))
    if not ids or len(found) != len(ids):
        raise DomainError(_("Choose departments of this district."), field="departments")
    if Whistle.objects.filter(petition=petition, department__in=found, answered_at__isnull=True).exists():
        raise DomainError(_("A department called in has not answered yet."), field="departments")
    whistles = []
    for department in found:
        # Each department answers within its own limit (for this category, or its general one).
        due = now + datetime.timedelta(hours=DepartmentLimit.hours_for(department.pk, petition.category))
        whistles.append(Whistle.objects.create(
            petition=petition, district_id=petition.district_id, department=department, blown_by=actor,
            blown_at=now, due_at=due, note=note,
        ))
        _event(petition, EventKind.WHISTLE, actor=actor, at=now, department=department, note=note)
        notify(users_with_role(Role.DEPARTMENT_STAFF, department_id=department.pk), target=petition,
               subject=_("Whistle: petition #%(id)s needs your department") % {"id": petition.pk}, body=note)
    return whistles


@transaction.atomic
def whistle_answer(*, actor, petition: Petition, answer: str = "", now=None) -> Whistle:
    """A department acknowledges a whistle (empty answer) or answers it."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "answer", petition)
    whistle = (
        Whistle.objects.select_for_update()
        .filter(petition=petition, department_id__in=scope_for(actor).departments, answered_at__isnull=True)
        .order_by("blown_at").first()
    )
    if whistle is None:
        raise DomainError(_("Your department has no open call on this petition."))
    answer = (answer or "").strip()
    fields = []
    if whistle.acknowledged_at is None:
        whistle.acknowledged_at = now
        fields.append("acknowledged_at")
        _event(petition, EventKind.DEPARTMENT_ACKNOWLEDGED, actor=actor, at=now, department=whistle.department)
    if answer:
        whistle.answer, whistle.answered_at = answer, now
        fields += ["answer", "answered_at"]
        _event(petition, EventKind.DEPARTMENT_ANSWERED, actor=actor, at=now, department=whistle.department,
               note=answer)
        notify([whistle.blown_by_id], target=petition,
               subject=_("%(department)s answered on petition #%(id)s") % {
                   "department": whistle.department.name, "id": petition.pk})
    if fields:
        whistle.save(update_fields=fields)
    return whistle
