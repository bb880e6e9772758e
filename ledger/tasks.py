"""Thin Celery tasks over the ledger services."""

import datetime

from celery import shared_task
from django.conf import settings

from ledger import services


@shared_task
def remind_fund_reviews() -> int:
    """Reminds the reviewers of fund applications that wait too long at one step (beat, hourly)."""
    hours = settings.LEDGER_REVIEW_REMIND_AFTER_HOURS
    return services.fund_reviews_remind(after=datetime.timedelta(hours=hours))
