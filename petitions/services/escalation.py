"""Escalation up the levels and the whistle to departments."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Department, Role
from communities.scope import scope_for
from communities.selectors import users_with_role
from core.errors import DomainError
from notifications.services import notify
from petitions.models import (
    HANDLER_TURN_STATES,
    DepartmentLimit,
    EscalationLevel,
    EventKind,
    Petition,
    Whistle,
    next_level,
)
from petitions.policies import petition_policy
from petitions.services.common import _event, _lock
from petitions.services.routing import level_office_user_ids

# --- escalation and the whistle ---------------------------------------------------------------------------

def _escalate(petition: Petition, *, now, actor=None, note="") -> str | None:
    """Moves the petition one level up and restarts its clock; at the top, restarts the clock and says so."""
    to = next_level(petition.level)
    petition.restart_clock(petition.deadline_kind, now)
    if to is None:
        petition.save(update_fields=["deadline", "deadline_kind", "missed_deadlines"])
        _event(petition, EventKind.OVERDUE, actor=actor, at=now, from_level=petition.level,
               to_level=petition.level, note=note)
        notify(level_office_user_ids(petition, petition.level), target=petition,
               subject=_("Petition #%(id)s is overdue at district level") % {"id": petition.pk})
        return None
    previous, petition.level = petition.level, to
    petition.escalations += 1
    petition.save(update_fields=["level", "escalations", "deadline", "deadline_kind", "missed_deadlines"])
    _event(petition, EventKind.ESCALATED, actor=actor, at=now, from_level=previous, to_level=to, note=note)
    subject = _("Petition #%(id)s escalated to %(level)s level") % {
        "id": petition.pk, "level": EscalationLevel(to).label
    }
    notify(level_office_user_ids(petition, to) + [petition.reporter_id], target=petition, subject=subject)
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
