"""Merging a duplicate into its original."""


from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from notifications.services import notify
from petitions.models import (
    CloseReason,
    EventKind,
    Petition,
    Status,
)
from petitions.policies import petition_policy
from petitions.services.common import _event, _lock
from petitions.services.rating import _close

# --- duplicates -------------------------------------------------------------------------------------------

@transaction.atomic
def petition_merge(*, actor, duplicate: Petition, original: Petition, now=None) -> Petition:
    """Closes `duplicate` into `original`; both keep the link and both reporters hear the outcome."""
    now = now or timezone.now()
    first, second = sorted([duplicate, original], key=lambda p: p.pk)
    first, second = _lock(first), _lock(second)
    duplicate, original = (first, second) if first.pk == duplicate.pk else (second, first)
    if duplicate.pk == original.pk:
        raise DomainError(_("A petition cannot be merged into itself."), field="original")
    petition_policy.require(actor, "merge", duplicate)
    if not petition_policy.can(actor, "view", original):
        raise Http404
    if duplicate.compound_id != original.compound_id:
        raise DomainError(_("Only petitions of the same compound can be merged."), field="original")
    if original.duplicate_of_id or original.status in (Status.CLOSED, Status.REJECTED):
        raise DomainError(_("Merge into an open original petition."), field="original")
    if duplicate.status == Status.RESOLVED:
        raise DomainError(_("A resolved petition waits for its rating."), field="status")
    duplicate.duplicate_of = original
    duplicate.save(update_fields=["duplicate_of"])
    _close(duplicate, reason=CloseReason.MERGED, actor=actor, now=now,
           note=_("Merged into #%(id)s") % {"id": original.pk})
    _event(original, EventKind.MERGED, actor=actor, at=now, note=_("#%(id)s merged into this petition") % {
        "id": duplicate.pk})
    notify([duplicate.reporter_id, original.reporter_id], target=original,
           subject=_("Petition #%(dup)s was merged into #%(id)s; you will hear its outcome") % {
               "dup": duplicate.pk, "id": original.pk})
    return duplicate
