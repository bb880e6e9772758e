"""Thin Celery tasks over the services. Late acknowledgement and idempotent work make a killed worker harmless."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def sweep_deadlines() -> int:
    """Every minute (beat): escalates overdue petitions once each and flags late departments."""
    from petitions.services import sweep_deadlines as sweep

    return sweep().total


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(pks: list[int]) -> None:
    from petitions.notifications import deliver

    deliver(pks)


@shared_task(acks_late=True, ignore_result=True)
def notify_new_petition(pk: int) -> None:
    """Queued by releases before the outbox (a new petition now writes its handler's notice in its own
    transaction); kept so that messages still in the broker at an upgrade are handled."""
    from petitions.services import notify_new_petition as notify

    notify(pk)


@shared_task(acks_late=True, ignore_result=True)
def deliver_pending_notifications() -> int:
    """Every minute (beat): the outbox sweep, e-mail and other channels for every notification not yet sent."""
    from petitions.notifications import deliver_pending

    return deliver_pending()
