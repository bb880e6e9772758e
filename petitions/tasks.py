"""Thin Celery tasks over the services. Late acknowledgement and idempotent work make a killed worker harmless."""

from celery import shared_task

from notifications import delivery
from petitions import figures, services


@shared_task(acks_late=True, ignore_result=True)
def sweep_deadlines() -> int:
    """Every minute (beat): escalates overdue petitions once each and flags late departments."""
    return services.sweep_deadlines().total


@shared_task(acks_late=True, ignore_result=True)
def refresh_figures(district_id: int, street_id: int, community_id: int, compound_id: int, day: str) -> None:
    """Queued after commit by every change to a petition: recounts its compound's day (and the ancestors') in the
    summary tables from the raw rows. Idempotent."""
    figures.refresh(district_id, street_id, community_id, compound_id, day)


@shared_task(acks_late=True, ignore_result=True)
def refresh_new_figures() -> int:
    """Every minute (beat): counts the new petitions of the last minutes in the summary tables (a create queues
    no task of its own)."""
    return figures.refresh_new()


@shared_task(acks_late=True, ignore_result=True)
def rebuild_figures() -> int:
    """Nightly (beat): every summary row recomputed from the raw rows."""
    return figures.rebuild()


@shared_task(acks_late=True, ignore_result=True)
def notify_new_petition(pk: int) -> None:
    """Queued by releases before the outbox (a new petition now writes its handler's notice in its own
    transaction); kept so that messages still in the broker at an upgrade are handled."""
    services.notify_new_petition(pk)


# The outbox's tasks moved to `notifications.tasks` (docs/adr/0004). Their old names stay registered for one
# release, so that messages already in the broker at the upgrade still run. Remove in the next release.

@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications(pks: list[int]) -> None:
    delivery.deliver(pks)


@shared_task(acks_late=True, ignore_result=True)
def deliver_pending_notifications() -> int:
    return delivery.deliver_pending()
