"""Thin Celery tasks over the governance services. Late acknowledgement, as in petitions: the work is
idempotent (a due vote closes once, a reminder is written once per term), so a task redelivered after a killed
worker does no harm, and one lost with its worker is not lost."""

from celery import shared_task

from governance import services


@shared_task(acks_late=True, ignore_result=True)
def close_due_votes() -> int:
    """Closes every vote past its deadline (beat, every minute)."""
    return services.votes_close_due()


@shared_task(acks_late=True, ignore_result=True)
def remind_terms() -> int:
    """Term reminders at 90 and 30 days, and lapsed terms (beat, daily)."""
    return services.bodies_remind_terms()
