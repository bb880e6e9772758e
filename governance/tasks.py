"""Thin Celery tasks over the governance services."""

from celery import shared_task

from governance import services


@shared_task
def close_due_votes() -> int:
    """Closes every vote past its deadline (beat, every minute)."""
    return services.votes_close_due()


@shared_task
def remind_terms() -> int:
    """Term reminders at 90 and 30 days, and lapsed terms (beat, daily)."""
    return services.bodies_remind_terms()
