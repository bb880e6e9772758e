"""Thin Celery tasks over the rankings services."""

from celery import shared_task

from rankings import services


@shared_task
def compute_ended_quarters() -> int:
    """Scores every open quarter that has ended (beat, daily); the review then publishes it."""
    return services.periods_compute_due()
