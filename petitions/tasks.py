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
    from petitions.services import notify_new_petition as notify

    notify(pk)
