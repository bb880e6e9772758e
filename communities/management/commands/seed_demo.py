"""Fills the database with a deterministic demo: `small` (two districts) or `district` (Luzhou's size)."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from communities.demo import DemoContext
from communities.models import District


class Command(BaseCommand):
    help = "Seed demo data: districts, compounds, firms, bodies and one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "district"], default="small")
        parser.add_argument("--password", default="demo-pass-2026", help="password of every demo login")
        parser.add_argument("--seed", type=int, default=2026, help="random seed: the same seed gives the same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when demo data exists already")

    def handle(self, *args, scale, password, seed, if_empty, **options):
        if District.objects.exists():
            if if_empty:
                self.stdout.write("Demo data is already there; nothing seeded.")
                return
            raise CommandError("The database already holds districts; seed_demo fills an empty database only.")
        started = time.monotonic()
        ctx = DemoContext(scale=scale, rng=random.Random(seed), password=password, stdout=self.stdout)
        with transaction.atomic():
            for dotted in settings.DEMO_SEEDERS:
                import_string(dotted)(ctx)
        self.stdout.write(self.style.SUCCESS(f"Seeded the {scale} demo in {time.monotonic() - started:.1f} s."))
        self.stdout.write(f"\nLogins (password: {password})\n")
        width = max(len(u) for u, _r, _s in ctx.logins)
        self.stdout.write(f"{'username'.ljust(width)}  role — scope")
        for username, role, scope in ctx.logins:
            self.stdout.write(f"{username.ljust(width)}  {role} — {scope}")
