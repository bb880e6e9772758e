"""The handler's moves: accept, start, reply, resolve, reject, transfer, and the logged call-back."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Department
from communities.services import number_reveal, person_reveal
from core.errors import REFUSALS, DomainError
from governance.models import Body
from notifications.services import notify
from petitions import selectors
from petitions.models import (
    WORKING_STATES,
    DeadlineKind,
    EventKind,
    HandlerKind,
    Petition,
    Status,
)
from petitions.policies import petition_policy
from petitions.services.common import _event, _lock, _move, _status_message
from petitions.services.photos import _save_photos, _validate_photos
from petitions.services.routing import COMMITTEE_KINDS, handler_user_ids, reporters_of
from properties.selectors import active_firm_id

# --- handling ---------------------------------------------------------------------------------------------

@transaction.atomic
def petition_accept(*, actor, petition: Petition, note: str = "", now=None) -> Petition:
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "accept", petition)
    if petition.accepted_at is None:
        petition.accepted_at = now
    petition.restart_clock(DeadlineKind.RESOLVE, now)
    _move(petition, Status.ACCEPTED, actor=actor, now=now, note=note,
          save_fields=["accepted_at", "deadline", "deadline_kind"])
    notify(reporters_of(petition), target=petition, subject=_status_message(petition))
    return petition


@transaction.atomic
def petition_bulk_accept(*, actor, petitions: Iterable[Petition], now=None) -> list[Petition]:
    """Accepts each petition the actor may accept; returns those accepted."""
    accepted = []
    for petition in petitions:
        try:
            with transaction.atomic():
                accepted.append(petition_accept(actor=actor, petition=petition, now=now))
        except REFUSALS:
            continue
    return accepted


@transaction.atomic
def petition_start(*, actor, petition: Petition, note: str = "", now=None) -> Petition:
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "start", petition)
    _move(petition, Status.IN_PROGRESS, actor=actor, now=now, note=note)
    return petition


@transaction.atomic
def petition_reply(*, actor, petition: Petition, text: str, photos=(), now=None) -> Petition:
    """The handler's answer to the resident, required before the petition may be resolved; photos (proof of the
    fix) are checked like residents' and kept with the reply's timeline entry."""
    now = now or timezone.now()
    checked = _validate_photos(photos)
    petition = _lock(petition)
    petition_policy.require(actor, "reply", petition)
    if petition.status not in WORKING_STATES:
        raise DomainError(_("Accept the petition before replying."), field="status")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the reply."), field="text")
    petition.reply, petition.replied_at = text, now
    petition.save(update_fields=["reply", "replied_at"])
    event = _event(petition, EventKind.REPLY, actor=actor, at=now, note=text)
    _save_photos(petition, checked, actor, event)
    notify(reporters_of(petition), target=petition,
           subject=_("Reply to your petition #%(id)s") % {"id": petition.pk}, body=text)
    return petition


@transaction.atomic
def petition_resolve(*, actor, petition: Petition, note: str = "", photos=(), now=None) -> Petition:
    now = now or timezone.now()
    checked = _validate_photos(photos)
    petition = _lock(petition)
    petition_policy.require(actor, "resolve", petition)
    if petition.status in WORKING_STATES and petition.replied_at is None:
        raise DomainError(_("Reply to the resident before resolving."), field="reply")
    fields = ["resolved_at", "deadline", "deadline_kind"]
    if not petition.settled_level:
        petition.settled_level = petition.level
        petition.resolved_on_time = petition.missed_deadlines == 0 and (
            petition.deadline is None or now <= petition.deadline
        )
        fields += ["settled_level", "resolved_on_time"]
    petition.resolved_at = now
    petition.restart_clock(DeadlineKind.RATE, now)
    event = _move(petition, Status.RESOLVED, actor=actor, now=now, note=note, save_fields=fields)
    _save_photos(petition, checked, actor, event)
    notify(reporters_of(petition), target=petition, subject=_status_message(petition),
           body=_("Please rate how it was handled within 7 days."))
    return petition


@transaction.atomic
def petition_reject(*, actor, petition: Petition, reason: str, now=None) -> Petition:
    """Refuses a petition with a reason (e.g. outside the platform's remit); the end of its road."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "reject", petition)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    petition.rejection_reason, petition.deadline, petition.closed_at = reason[:300], None, now
    _move(petition, Status.REJECTED, actor=actor, now=now, note=reason,
          save_fields=["rejection_reason", "deadline", "closed_at"])
    notify(reporters_of(petition), target=petition, subject=_status_message(petition), body=reason)
    return petition


@transaction.atomic
def petition_transfer(*, actor, petition: Petition, to: str, department: Department | int | None = None,
                      note: str = "", now=None) -> Petition:
    """Hands the petition to another handler, who must accept it in turn."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "transfer", petition)
    target = {"handler_kind": to, "handler_firm_id": None, "handler_department_id": None}
    if to == HandlerKind.FIRM:
        target["handler_firm_id"] = active_firm_id(petition.compound_id)
        if not target["handler_firm_id"]:
            raise DomainError(_("No firm serves this compound under an active contract."), field="to")
    elif to == HandlerKind.COMMITTEE:
        if not Body.objects.filter(compound_id=petition.compound_id, kind__in=COMMITTEE_KINDS).exists():
            raise DomainError(_("This compound has no owners' or self-management committee."), field="to")
    elif to == HandlerKind.DEPARTMENT:
        department_id = department.pk if isinstance(department, Department) else department
        if not Department.objects.filter(pk=department_id, district_id=petition.district_id).exists():
            raise DomainError(_("Choose a department of this district."), field="department")
        target["handler_department_id"] = department_id
    elif to != HandlerKind.COMMUNITY_OFFICE:
        raise DomainError(_("Choose whom to transfer the petition to."), field="to")
    if all(getattr(petition, k) == v for k, v in target.items()):
        raise DomainError(_("The petition is already with this handler."), field="to")
    for key, value in target.items():
        setattr(petition, key, value)
    petition.restart_clock(DeadlineKind.ACCEPT, now)
    _move(petition, Status.TRANSFERRED, actor=actor, now=now, note=note or HandlerKind(to).label,
          save_fields=[*target, "deadline", "deadline_kind"])
    notify(handler_user_ids(petition), target=petition,
           subject=_("Petition #%(id)s transferred to you") % {"id": petition.pk}, body=note)
    return petition


@transaction.atomic
def petition_reveal_reporter_phone(*, actor, petition: Petition, reason: str = "") -> str:
    """The whole phone number of the petition's reporter, for the handler (or the office of its level) to call
    them back: an explicit action, logged by `communities.services` (who, whose record, which field, when;
    never the value) — under the reporter's person record, or under the petition for a number a caller gave on
    the hotline or at the window. Not for a reporter who asked to stay anonymous to this user."""
    petition_policy.require(actor, "call_back", petition)
    if not petition_policy.sees_reporter(actor, petition):
        raise PermissionDenied(_("The reporter asked to stay anonymous."))
    person, number = selectors.reporter_phone_source(petition)
    if not number:
        raise DomainError(_("This petition's reporter has no phone number on record."))
    reason = (reason or "").strip()
    if reason:
        note = _("Call back on petition #%(id)s: %(reason)s") % {"id": petition.pk, "reason": reason}
    else:
        note = _("Call back on petition #%(id)s") % {"id": petition.pk}
    if person is None:
        with translation.override(settings.LANGUAGE_CODE):  # the log is read in the site's language
            record = _("Petition #%(id)s") % {"id": petition.pk}
        return number_reveal(actor=actor, number=number, district_id=petition.district_id, record=record,
                             reason=note)

    def granted(user, whom, field) -> bool:
        return field == "phone" and whom.pk == person.pk and petition_policy.can(user, "call_back", petition)

    return person_reveal(actor=actor, person=person, field="phone", granted_by=granted, reason=note)
