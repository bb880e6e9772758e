"""Runs the deadline sweep by hand: `manage.py sweep_deadlines [--at ISO-8601] [--dry-run]`."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from petitions.services import sweep_deadlines


class Command(BaseCommand):
    help = "Escalates petitions whose deadline has passed (as of --at) and flags late departments."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Evaluate deadlines as of this ISO-8601 time (default: now).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; change nothing.")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, at=None, dry_run=False, batch_size=200, **options):
        now = timezone.now()
        if at:
            parsed = parse_datetime(at)
            if parsed is None:
                try:
                    parsed = datetime.datetime.fromisoformat(at)
                except ValueError as exc:
                    raise CommandError(f"--at is not an ISO-8601 time: {at!r}") from exc
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            now = parsed
        result = sweep_deadlines(now=now, dry_run=dry_run, batch_size=batch_size)
        prefix = "would be " if dry_run else ""
        self.stdout.write(
            f"as of {now.isoformat()}: {result.escalated} {prefix}escalated, {result.overdue_at_top} {prefix}"
            f"reminded at district level, {result.closed_unrated} {prefix}closed as not rated, "
            f"{result.departments_late} departments {prefix}flagged late"
        )
