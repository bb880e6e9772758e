"""Helpers of every petition service: the timeline event, the row lock, a move of the state table."""


from django.http import Http404
from django.utils.translation import gettext as _

from petitions import figures
from petitions.models import (
    EventKind,
    Petition,
    PetitionEvent,
)

# --- helpers ----------------------------------------------------------------------------------------------

def _event(petition, kind, *, actor=None, at, **fields) -> PetitionEvent:
    """Writes a timeline event. Every change to a petition writes one, so this is also where its figures' recount
    is queued (after commit, once per transaction)."""
    event = PetitionEvent.objects.create(
        petition=petition, kind=kind, actor=actor if actor and actor.is_authenticated else None, at=at, **fields
    )
    figures.touch(petition)
    return event


def _lock(petition: Petition) -> Petition:
    try:
        return Petition.objects.select_for_update(of=("self",)).select_related("category").get(pk=petition.pk)
    except Petition.DoesNotExist as exc:
        raise Http404 from exc


def _move(petition, to, *, actor, now, note="", save_fields=()) -> PetitionEvent:
    previous = petition.transition_to(to)
    petition.save(update_fields=["status", *save_fields])
    return _event(petition, EventKind.TRANSITION, actor=actor, at=now, from_status=previous, to_status=to, note=note)


def _status_message(petition: Petition) -> str:
    return _("Your petition #%(id)s is now: %(status)s.") % {"id": petition.pk, "status": petition.get_status_display()}
