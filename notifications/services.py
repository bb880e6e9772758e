"""Notifications: an in-app inbox row for every recipient, written in the caller's transaction, then e-mail and
the other channels (SMS, WeChat …) after commit, behind one small backend interface (`notifications.backends`).

The rows are also the outbox: `delivered_at` is set when a row has gone out. Most services queue a delivery task
after commit; the petition create does not (one broker publish per petition cost more than the rest of its
writes, benchmarks/README.md) and leaves its rows to `deliver_pending`, which Celery beat runs every minute and
which also picks up any row whose task was lost (broker down at commit, worker killed).

Any app may notify: a notice's target is any object whose kind its app registered in `notifications.links`."""

from django.db import transaction
from django.utils import timezone

from notifications import tasks
from notifications.delivery import deliver, deliver_pending
from notifications.links import target_of
from notifications.models import Notification

__all__ = ["deliver", "deliver_pending", "notify", "notify_many"]


def mark_read(user, pks) -> int:
    """Marks the user's own notices among `pks` read (another user's ids change nothing); how many were unread."""
    return Notification.objects.filter(user=user, pk__in=list(pks), read_at__isnull=True).update(read_at=timezone.now())


def notify(user_ids, *, subject: str, body: str = "", target=None, publish: bool = True) -> list[Notification]:
    """Puts a message about `target` (a registered model instance, or None) in each user's inbox now and sends it
    on the other channels once the transaction commits. With `publish=False` no task is queued: the rows wait in
    the outbox for the minute's `deliver_pending`."""
    return notify_many([(user_ids, target, subject, body)], publish=publish)


def notify_many(messages, *, publish: bool = True) -> list[Notification]:
    """`notify` for many messages at once, each `(user_ids, target, subject)` or `(user_ids, target, subject,
    body)`: the rows in one INSERT and one delivery task after commit (the deadline sweep's batch)."""
    rows = []
    for user_ids, target, subject, *body in messages:
        kind, target_id = target_of(target)
        rows += [Notification(user_id=uid, target_kind=kind, target_id=target_id, subject=str(subject)[:200],
                              body=str(body[0]) if body else "")
                 for uid in sorted({uid for uid in user_ids if uid})]
    if not rows:
        return []
    rows = Notification.objects.bulk_create(rows)
    pks = [n.pk for n in rows if n.pk]
    if pks and publish:
        transaction.on_commit(lambda: tasks.deliver.delay(pks))
    return rows
