"""Thin Celery tasks over the dashboards' services."""

from celery import shared_task

from dashboards.strength import services


@shared_task
def compute_strength() -> int:
    """Every district's strength index for today (beat, nightly)."""
    return services.strength_compute_all()
