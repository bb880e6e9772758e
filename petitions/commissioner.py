"""The commissioner's follow-up of the petitions of its compounds (小区专员跟进, docs/adr/0006): urge the handler
with a logged reminder, add a note to the record, escalate a stuck petition to the community. Each is a service
of the house shape (lock, policy, event, notification), called by the admin panel and the API alike; who may
call it is `PetitionPolicy.can` ("urge", "note", "escalate"), what is offered now `actions_for`."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from notifications.services import notify
from petitions.models import HANDLER_TURN_STATES, EscalationLevel, EventKind, Petition
from petitions.policies import petition_policy
from petitions.services import _escalate, _event, _lock, handler_user_ids

# One reminder an hour at most: an urge is a message in the handler's inbox and e-mail, not a siren.
URGE_INTERVAL = datetime.timedelta(hours=1)
NOTE_MAX = 2000
REASON_MAX = 300


def _waiting_for_handler(petition: Petition) -> None:
    if petition.status not in HANDLER_TURN_STATES:
        raise DomainError(_("Only a petition waiting for its handler can be followed up this way."), field="status")


def _text(value, *, field: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Write a few words."), field=field)
    if len(value) > max_length:
        raise DomainError(_("At most %(n)s characters.") % {"n": max_length}, field=field)
    return value


@transaction.atomic
def petition_urge(*, actor, petition: Petition, note: str = "", now=None) -> Petition:
    """Reminds the handler to act: a timeline event and a notification to every holder of the handler's role."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "urge", petition)
    _waiting_for_handler(petition)
    note = _text(note, field="note", max_length=NOTE_MAX, required=False)
    if petition.events.filter(kind=EventKind.URGED, at__gt=now - URGE_INTERVAL).exists():
        raise DomainError(_("The handler was urged less than an hour ago."), field="status")
    _event(petition, EventKind.URGED, actor=actor, at=now, note=note)
    notify(handler_user_ids(petition), target=petition,
           subject=_("Petition #%(id)s: the compound's commissioner urges you to act") % {"id": petition.pk},
           body=note)
    return petition


@transaction.atomic
def petition_add_note(*, actor, petition: Petition, note: str, now=None) -> Petition:
    """Adds a note to the petition's timeline (a visit made, a call with the reporter …), in any state."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "note", petition)
    note = _text(note, field="note", max_length=NOTE_MAX, required=True)
    _event(petition, EventKind.NOTE, actor=actor, at=now, note=note)
    return petition


@transaction.atomic
def petition_escalate(*, actor, petition: Petition, reason: str, now=None) -> Petition:
    """Sends a petition stuck at compound level to the community office before its deadline: the same move as
    the sweep's (one level up, the clock restarted, the community office and the reporter told), with the
    commissioner's reason in the timeline."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "escalate", petition)
    _waiting_for_handler(petition)
    if petition.level != EscalationLevel.COMPOUND:
        raise DomainError(_("Only a petition still at compound level can be escalated to the community."),
                          field="level")
    reason = _text(reason, field="reason", max_length=REASON_MAX, required=True)
    _escalate(petition, now=now, actor=actor, note=reason)
    return petition
