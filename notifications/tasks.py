"""The outbox's Celery tasks. Late acknowledgement and claiming rows under SKIP LOCKED make a killed worker
harmless: a row is marked delivered in the transaction that sends it."""

from celery import shared_task

from notifications import delivery


@shared_task(acks_late=True, ignore_result=True)
def deliver(pks: list[int]) -> None:
    """Queued after the commit of the notices it sends."""
    delivery.deliver(pks)


@shared_task(acks_late=True, ignore_result=True)
def deliver_pending() -> int:
    """Every minute (beat): the outbox sweep, e-mail and other channels for every notification not yet sent."""
    return delivery.deliver_pending()
