"""Runs inside the throwaway virtualenv with django-helpdesk (benchmarks/peer_helpdesk.py starts it):

  helpdesk_driver.py setup         a queue with escalation after 1 day, a staff agent (helpdesk's API wants
                                   staff) with a DRF token; prints the token, the queue and a create payload
  helpdesk_driver.py sweep N       N open tickets, 1% of them past the queue's escalation age, every ticket with
                                   a submitter e-mail and an assigned agent (so that each escalation mails both,
                                   as the platform's sweep notifies its offices and the reporter); then times one
                                   `escalate_tickets` in this process and prints seconds, escalated, mails

Prints JSON on stdout."""

import datetime
import json
import sys
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import Queue, Ticket  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402


def queue_and_agent():
    queue, _ = Queue.objects.get_or_create(slug="repair", defaults={
        "title": "Repairs", "escalate_days": 1, "allow_public_submission": True})
    agent, _ = get_user_model().objects.get_or_create(username="agent", defaults={
        "email": "agent@example.org", "is_staff": True})
    return queue, agent


def setup() -> dict:
    """The create is measured on an empty ticket table (an earlier run's sweep leaves 10⁵ tickets behind)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE helpdesk_ticket RESTART IDENTITY CASCADE")
    queue, agent = queue_and_agent()
    Token.objects.filter(user=agent).delete()
    token = Token.objects.create(user=agent)
    payload = {"queue": queue.pk, "title": "楼道灯不亮", "description": "基准测试：楼道灯不亮",
               "submitter_email": "resident@example.org", "priority": 3}
    return {"token": token.key, "queue": queue.pk, "payload": payload}


def fill(count: int, queue, agent, now) -> None:
    """`count` open tickets, the first 1% created two days ago (past the queue's escalation age), the rest now."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE helpdesk_ticket RESTART IDENTITY CASCADE")
    template = Ticket.objects.create(
        queue=queue, title="楼道灯不亮", description="基准测试", submitter_email="resident@example.org",
        assigned_to=agent, status=Ticket.OPEN_STATUS, priority=3)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Ticket._meta.concrete_fields
                        if not f.primary_key)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO helpdesk_ticket ({columns}) SELECT {columns} FROM helpdesk_ticket, "
                       "generate_series(1, %s) WHERE id = %s", [count - 1, template.pk])
        cursor.execute("UPDATE helpdesk_ticket SET created = %s, modified = %s WHERE id <= %s",
                       [now - datetime.timedelta(days=2)] * 2 + [count // 100])
        cursor.execute("UPDATE helpdesk_ticket SET created = %s WHERE id > %s", [now, count // 100])
        cursor.execute("ANALYZE helpdesk_ticket")


def sweep(open_count: int) -> dict:
    overdue = open_count // 100
    queue, agent = queue_and_agent()
    # A warm-up run first (imports, templates), as the platform's sweep gets one.
    fill(500, queue, agent, timezone.now())
    call_command("escalate_tickets")
    fill(open_count, queue, agent, timezone.now())
    mail.outbox = []
    started = time.perf_counter()
    call_command("escalate_tickets")
    seconds = time.perf_counter() - started
    escalated = Ticket.objects.filter(last_escalation__isnull=False).count()
    return {"seconds": seconds, "escalated": escalated, "overdue": overdue, "open": open_count,
            "mails": len(mail.outbox)}


if __name__ == "__main__":
    command = sys.argv[1]
    result = setup() if command == "setup" else sweep(int(sys.argv[2]))
    print(json.dumps(result))
