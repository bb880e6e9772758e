#!/usr/bin/env python
"""Benchmark: one quarter's firm evaluation at district scale, set-based against firm by firm.

Run on demand (a quiet machine): `.venv/bin/python benchmarks/rankings_evaluate.py [--scale district]`. Needs a
PostgreSQL server the `postgres` role can create databases on (BENCH_PG, default
postgres://postgres@127.0.0.1:5432); it drops and re-creates its own database `bench_rankings` and seeds the demo
at the chosen scale (district: 185 firms, ~500 professional compounds, 10⁶ petitions).

Measured in the same run, on the same quarter:
  A. rankings.services.evaluate(period): the set-based computation (a fixed number of grouped queries);
  B. the same scores firm by firm: for each firm, the same grouped reads filtered to that firm (what a loop of
     queries per firm costs), the arithmetic unchanged.
It prints both times, both query counts, their ratio, and checks that A and B give the same scores. Goal: A ≤ 60 s
and A's query count independent of the number of firms (also asserted in tests/rankings/test_evaluation.py).
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = "bench_rankings"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("VAR_DIR", "/tmp/sanfang-bench-rankings")
    import django

    django.setup()


def recreate():
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    for sql in (f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-q", f"{PG}/postgres", "-c", sql], check=True, env=env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": f"{PG}/{DB}"})


def seed(scale: str):
    from django.conf import settings
    from django.utils.module_loading import import_string

    from communities.demo import DemoContext

    ctx = DemoContext(scale=scale, rng=random.Random(2026), password="bench-pass", stdout=sys.stdout)
    for dotted in settings.DEMO_SEEDERS:
        import_string(dotted)(ctx)
    return ctx


def firm_by_firm(period):
    """The same scores, reading each firm's figures with its own queries."""
    from unittest import mock

    from petitions import selectors as petition_selectors
    from rankings import services

    pairs = services.served_pairs(period)
    firms = sorted({f for f, _c, _s, _m in pairs})
    scores = []
    real_pairs, real_figures = services.served_pairs, petition_selectors.firm_compound_figures
    for firm_id in firms:
        def pairs_of(p, firm_id=firm_id):
            return [row for row in real_pairs(p) if row[0] == firm_id]

        def figures_of(district_id, start, end, firm_id=firm_id):
            return {k: v for k, v in real_figures(district_id, start, end).items() if k[0] == firm_id}

        with mock.patch.object(services, "served_pairs", pairs_of), \
                mock.patch.object(petition_selectors, "firm_compound_figures", figures_of):
            firm_scores, _results = services.evaluate(period)
        scores += firm_scores
    return scores


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="district", choices=["small", "district"])
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    if not args.skip_seed:
        recreate()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rankings import services
    from rankings.models import Period

    if not args.skip_seed:
        seed(args.scale)
    period = Period.objects.filter(status=Period.Status.PUBLISHED).order_by("-year", "-quarter", "district_id").first()
    firms = len({f for f, _c, _s, _m in services.served_pairs(period)})
    print(f"quarter {period} of district {period.district_id}: {firms} firms, "
          f"{len(services.served_pairs(period))} firm × compound pairs")

    with CaptureQueriesContext(connection) as set_queries:
        started = time.perf_counter()
        set_scores, _results = services.evaluate(period)
        set_time = time.perf_counter() - started
    with CaptureQueriesContext(connection) as loop_queries:
        started = time.perf_counter()
        loop_scores = firm_by_firm(period)
        loop_time = time.perf_counter() - started

    def key(rows):
        return sorted((s.firm_id, s.compound_id, s.score) for s in rows)

    assert key(set_scores) == key(loop_scores), "the two ways disagree"
    print(f"set-based:    {set_time:8.2f} s  {len(set_queries):6d} queries")
    print(f"firm by firm: {loop_time:8.2f} s  {len(loop_queries):6d} queries")
    print(f"ratio (firm by firm / set-based): {loop_time / set_time:.1f}×")


if __name__ == "__main__":
    main()
