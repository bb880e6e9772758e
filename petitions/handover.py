"""When a firm leaves a compound (exit and takeover), its open petitions there pass to the community office, so
that no petition is left with a handler nobody can reach: the firm's staff lose the compound with the contract."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Role
from communities.selectors import users_with_role
from notifications.services import notify
from petitions.models import (
    OPEN_STATES,
    TRANSITIONS,
    DeadlineKind,
    EventKind,
    HandlerKind,
    Petition,
    PetitionEvent,
    Status,
)


@transaction.atomic
def petitions_hand_to_community(*, compound_id: int, firm_id: int, actor=None, now=None) -> int:
    """Gives the firm's open petitions in the compound to the community office; those still being worked on are
    transferred (the office accepts them on a fresh clock), a resolved one awaiting its rating keeps its status.
    Returns how many were handed over."""
    now = now or timezone.now()
    petitions = list(Petition.objects.select_for_update(of=("self",)).select_related("category").filter(
        compound_id=compound_id, handler_kind=HandlerKind.FIRM, handler_firm_id=firm_id, status__in=OPEN_STATES,
    ).order_by("pk"))
    note = _("The property firm left the compound: handed to the community office.")
    events = []
    for petition in petitions:
        petition.handler_kind, petition.handler_firm_id = HandlerKind.COMMUNITY_OFFICE, None
        fields = ["handler_kind", "handler_firm_id"]
        if Status.TRANSFERRED in TRANSITIONS[petition.status]:
            previous = petition.transition_to(Status.TRANSFERRED)
            petition.restart_clock(DeadlineKind.ACCEPT, now)
            fields += ["status", "deadline", "deadline_kind"]
            events.append(PetitionEvent(petition=petition, kind=EventKind.TRANSITION, at=now, note=note,
                                        actor=actor if actor and actor.is_authenticated else None,
                                        from_status=previous, to_status=Status.TRANSFERRED))
        petition.save(update_fields=fields)
    PetitionEvent.objects.bulk_create(events)
    if petitions:
        offices = users_with_role(Role.COMMUNITY_OFFICE, community_id=petitions[0].community_id)
        for petition in petitions:
            notify(offices, target=petition, subject=_("Petition #%(id)s transferred to you") % {"id": petition.pk},
                   body=note)
    return len(petitions)
