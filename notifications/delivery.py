"""The outbox: e-mail and the configured backends for saved notifications, each row sent once."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from notifications.backends import backends
from notifications.models import Notification


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
