"""Thin Celery tasks over the properties services."""

from celery import shared_task

from properties import services


@shared_task
def remind_expiring_contracts() -> int:
    """Contract expiry reminders at 90 and 30 days (beat, daily; each reminder once)."""
    return services.contracts_remind_expiring()
