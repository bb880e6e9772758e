"""The reporter's rating, which closes the petition."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from notifications.services import notify
from petitions.models import (
    CloseReason,
    DeadlineKind,
    EventKind,
    Petition,
    Status,
)
from petitions.policies import petition_policy
from petitions.services.common import _event, _lock, _move
from petitions.services.escalation import _escalate
from petitions.services.routing import handler_user_ids

# --- rating -----------------------------------------------------------------------------------------------

def _close(petition, *, reason, actor, now, note="") -> None:
    petition.close_reason, petition.closed_at, petition.deadline = reason, now, None
    _move(petition, Status.CLOSED, actor=actor, now=now, note=note,
          save_fields=["close_reason", "closed_at", "deadline"])


@transaction.atomic
def petition_rate(*, actor, petition: Petition, rating: int, comment: str = "", now=None) -> Petition:
    """The reporter rates 1–5. 3 or more closes it; 2 or less reopens it once and escalates it the second time."""
    now = now or timezone.now()
    petition = _lock(petition)
    petition_policy.require(actor, "rate", petition)
    if petition.status != Status.RESOLVED:
        raise DomainError(_("Only a resolved petition can be rated."), field="status")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Rate from 1 to 5."), field="rating")
    petition.rating, petition.rating_comment = rating, (comment or "")[:500]
    petition.save(update_fields=["rating", "rating_comment"])
    _event(petition, EventKind.RATED, actor=actor, at=now, rating=rating, note=petition.rating_comment)
    if rating >= 3:
        _close(petition, reason=CloseReason.RATED, actor=actor, now=now)
        notify(handler_user_ids(petition), target=petition,
               subject=_("Petition #%(id)s rated %(rating)s") % {"id": petition.pk, "rating": rating})
        return petition
    petition.low_ratings += 1
    petition.replied_at = None
    petition.restart_clock(DeadlineKind.RESOLVE, now)
    _move(petition, Status.REOPENED, actor=actor, now=now, note=petition.rating_comment,
          save_fields=["low_ratings", "replied_at", "deadline", "deadline_kind"])
    if petition.low_ratings >= 2:
        _escalate(petition, now=now, actor=actor, note=_("Rated unsatisfactory a second time."))
    notify(handler_user_ids(petition), target=petition,
           subject=_("Petition #%(id)s reopened after a rating of %(rating)s") % {"id": petition.pk, "rating": rating})
    return petition
