#!/usr/bin/env python
"""Benchmark: the household balance page and the compound statement cost the same queries whatever the length of
the history, and the ledger's share of the demo seed.

Run on demand: `.venv/bin/python benchmarks/ledger_pages.py [--scale small|district] [--extra 1000]
[--reseed-ledger]`. Needs a
PostgreSQL server the `postgres` role can create databases on (BENCH_PG, default
postgres://postgres@127.0.0.1:5432); it drops and re-creates its own database `bench_ledger`.

What one run does and prints (figures go into benchmarks/README.md with the date and machine):
  1. seeds the demo at --scale without the ledger, then times the ledger's seeder alone (goal at district scale:
     at most 90 s);
  2. counts the queries and times (best of --repeat, in process through Django's test client) of the resident's
     finance page (`/finance/`: fund balance, history page, fees, statements, applications), the household
     account's history (`/api/v1/ledger/accounts/<id>/entries/`) and the compound's statements and transactions
     lists (`/api/v1/ledger/statements/?compound=…`, `/api/v1/ledger/transactions/?compound=…`);
  3. adds --extra more entries to that household (one deposit each, through the posting service, so the
     triggers run) and measures again (goal: the same query counts, times within noise).
"""

import argparse
import functools
import os
import random
import subprocess
import sys
import time

import inprocess  # beside this script: benchmarks/inprocess.py
from inprocess import PG, ROOT

DB = "bench_ledger"
setup_django = functools.partial(inprocess.setup_django, DB)
recreate = functools.partial(inprocess.recreate, DB)


def seed(scale: str) -> float:
    """Seeds the demo; returns the seconds the ledger's seeder took."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from communities.demo import DemoContext

    ctx = DemoContext(scale=scale, rng=random.Random(2026), password="demo-pass-2026", stdout=sys.stdout)
    ledger_seconds = 0.0
    for dotted in settings.DEMO_SEEDERS:
        started = time.perf_counter()
        import_string(dotted)(ctx)
        took = time.perf_counter() - started
        print(f"  {dotted}: {took:.1f} s", flush=True)
        if dotted.startswith("ledger."):
            ledger_seconds += took
    return ledger_seconds


def reseed_ledger(scale: str) -> float:
    """Empties the ledger of the database seeded before (TRUNCATE, which the ledger's triggers leave to
    administrators) and times its seeder alone again; returns the seconds."""
    from django.apps import apps
    from django.db import connection

    from communities.demo import DemoContext
    from communities.models import District
    from ledger import demo

    tables = ", ".join(m._meta.db_table for m in apps.get_app_config("ledger").get_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")
    ctx = DemoContext(scale=scale, rng=random.Random(2026), password="demo-pass-2026", stdout=sys.stdout)
    ctx.districts = list(District.objects.order_by("pk"))
    started = time.perf_counter()
    demo.seed(ctx)
    return time.perf_counter() - started


def measure(repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from ledger.models import Account, AccountKind

    resident = get_user_model().objects.get(username="resident")
    account = (Account.objects.filter(household__residencies__person__user=resident,
                                      kind=AccountKind.HOUSEHOLD_FUND).order_by("household_id").first())
    urls = {
        "finance page": ("page", "/finance/"),
        "household history": ("api", f"/api/v1/ledger/accounts/{account.pk}/entries/"),
        "compound statements": ("api", f"/api/v1/ledger/statements/?compound={account.compound_id}"),
        "compound transactions": ("api", f"/api/v1/ledger/transactions/?compound={account.compound_id}"),
    }
    figures = {}
    for name, (kind, url) in urls.items():
        times, queries = [], None
        for _ in range(repeat):
            user = get_user_model().objects.get(pk=resident.pk)
            client = Client() if kind == "page" else APIClient()
            if kind == "page":
                client.force_login(user)
            else:
                client.force_authenticate(user)
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        figures[name] = (queries, min(times) * 1000)
    return figures, account


def grow(account, extra: int) -> None:
    from django.contrib.auth import get_user_model

    from ledger import services

    centre = get_user_model().objects.get(username="district_center")
    household = account.household
    for _ in range(extra):
        services.fund_deposit(actor=centre, household=household, amount="1.00")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["small", "district"], default="small")
    parser.add_argument("--extra", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed-ledger", action="store_true",
                        help="keep the database of the last run, empty its ledger and time the ledger seeder again")
    args = parser.parse_args()
    if not args.reseed_ledger:
        recreate()
    setup_django()
    ledger_seconds = reseed_ledger(args.scale) if args.reseed_ledger else seed(args.scale)
    print(f"ledger seeder at {args.scale} scale: {ledger_seconds:.1f} s", flush=True)
    before, account = measure(args.repeat)
    grow(account, args.extra)
    after, _account = measure(args.repeat)
    print(f"{'':24} {'queries':>8} {'ms':>8}   after +{args.extra} entries: {'queries':>8} {'ms':>8}")
    for name in before:
        (q0, t0), (q1, t1) = before[name], after[name]
        print(f"{name:24} {q0:>8} {t0:>8.1f}   {'':>22}{q1:>8} {t1:>8.1f}")
        assert q0 == q1, f"{name}: the query count grew with the history"
    subprocess.run([sys.executable, "manage.py", "check_ledger"], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": f"{PG}/{DB}"})


if __name__ == "__main__":
    main()
