"""Notifications: an in-app inbox row for every recipient, written in the service's transaction, then e-mail and
the other channels (SMS, WeChat …) after commit, behind one small backend interface.

The rows are also the outbox: `delivered_at` is set when a row has gone out. Most services queue a delivery task
after commit; the petition create does not (one broker publish per petition cost more than the rest of its
writes, benchmarks/README.md) and leaves its rows to `deliver_pending`, which Celery beat runs every minute and
which also picks up any row whose task was lost (broker down at commit, worker killed).

`settings.NOTIFICATION_BACKENDS` lists dotted paths of backends; the default writes to the log. E-mail goes to
users who have an address.
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from petitions.models import Notification

logger = logging.getLogger("petitions.notifications")
DEFAULT_BACKENDS = ["petitions.notifications.LogBackend"]


class Backend:
    """A channel beyond the inbox and e-mail. `send` gets saved notifications with their users loaded."""

    def send(self, notifications: list[Notification]) -> None:
        raise NotImplementedError


class LogBackend(Backend):
    def send(self, notifications):
        for n in notifications:
            logger.info("notify user=%s petition=%s subject=%s", n.user_id, n.petition_id, n.subject)


def backends() -> list[Backend]:
    return [import_string(path)() for path in getattr(settings, "NOTIFICATION_BACKENDS", DEFAULT_BACKENDS)]


def notify(user_ids, *, subject: str, body: str = "", petition=None, publish: bool = True) -> list[Notification]:
    """Puts a message in each user's inbox now and sends it on the other channels once the transaction commits.
    With `publish=False` no task is queued: the rows wait in the outbox for the minute's `deliver_pending`."""
    ids = sorted({uid for uid in user_ids if uid})
    if not ids:
        return []
    rows = Notification.objects.bulk_create([
        Notification(user_id=uid, petition=petition, subject=str(subject)[:200], body=str(body)) for uid in ids
    ])
    pks = [n.pk for n in rows if n.pk]
    if pks and publish:
        transaction.on_commit(lambda: _deliver_later(pks))
    return rows


def _deliver_later(pks: list[int]) -> None:
    from petitions.tasks import deliver_notifications

    deliver_notifications.delay(pks)


def _undelivered():
    return (Notification.objects.filter(delivered_at__isnull=True).select_related("user")
            .select_for_update(skip_locked=True, of=("self",)))


def deliver(pks: list[int]) -> int:
    """Sends saved notifications by e-mail and through the configured backends, each once: the rows are claimed
    under FOR UPDATE SKIP LOCKED among those not yet delivered and marked delivered in the same transaction, so
    the task queued after commit and the outbox sweep never both send a row. Returns how many it sent."""
    with transaction.atomic():
        return _send(list(_undelivered().filter(pk__in=pks).order_by("pk")))


def deliver_pending(*, batch_size: int = 200, max_batches=None) -> int:
    """The outbox sweep (Celery beat, every minute): delivers every notification still waiting, in batches
    claimed with SKIP LOCKED (two sweeps at once take disjoint rows). Returns how many it sent."""
    sent = batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            batch = list(_undelivered().order_by("pk")[:batch_size])
            sent += _send(batch)
        if len(batch) < batch_size:
            break
    return sent


def _send(notifications: list[Notification]) -> int:
    if not notifications:
        return 0
    messages = [
        (n.subject, n.body or n.subject, settings.DEFAULT_FROM_EMAIL, [n.user.email])
        for n in notifications if n.user.email
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)
    for backend in backends():
        backend.send(notifications)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(delivered_at=timezone.now())
    return len(notifications)


def users_with_role(role: str, **scope) -> list[int]:
    """Ids of active users holding `role` at the node given as e.g. community_id=…"""
    from communities.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(role=role, user__is_active=True, **scope).values_list("user_id", flat=True)
    )

