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


@shared_task(acks_late=True, ignore_result=True)
def import_fee_payments(import_id: int) -> None:
    """Imports a queued spreadsheet of fee payments, recording its progress (queued by fees.fee_import_start)."""
    from ledger import fees  # fees queues this task: imported here, where it runs, to break the cycle

    fees.fee_import_run(import_id)
