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
import functools
import os
import random
import sys
import time

import inprocess  # beside this script: benchmarks/inprocess.py

DB = "bench_rankings"
setup_django = functools.partial(inprocess.setup_django, DB)
recreate = functools.partial(inprocess.recreate, DB)


# The evaluation reads no ledger figure yet (fee collection has no data until the ledger gives a collection rate,
# rankings.rules.indicator_values), so the ledger's seeder, the slowest at district scale (issue 10), is skipped
# unless asked for: it changes nothing the benchmark measures.
NOT_READ = ("ledger.demo.seed",)


def seed(scale: str, *, with_ledger: bool = False):
    from django.conf import settings
    from django.utils.module_loading import import_string

    from communities.demo import DemoContext

    ctx = DemoContext(scale=scale, rng=random.Random(2026), password="bench-pass", stdout=sys.stdout)
    for dotted in settings.DEMO_SEEDERS:
        if dotted in NOT_READ and not with_ledger:
            continue
        started = time.perf_counter()
        import_string(dotted)(ctx)
        print(f"  seeded {dotted} in {time.perf_counter() - started:.1f} s", flush=True)
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
    parser.add_argument("--stress", action="store_true",
                        help="also time one period spanning the demo's whole history (every firm and petition)")
    parser.add_argument("--with-ledger", action="store_true", help="also seed the ledger (not read by the scores)")
    args = parser.parse_args()
    if not args.skip_seed:
        recreate()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rankings import services
    from rankings.models import Period

    if not args.skip_seed:
        seed(args.scale, with_ledger=args.with_ledger)
    # The latest published quarter of the main district: the one with petitions (the demo's cover the last two
    # years); --stress adds the full load.
    period = Period.objects.filter(status=Period.Status.PUBLISHED).order_by("-year", "-quarter", "district_id").first()
    firms = len({f for f, _c, _s, _m in services.served_pairs(period)})
    print(f"quarter {period} of district {period.district_id}: {firms} firms, "
          f"{len(services.served_pairs(period))} firm × compound pairs")

    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
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
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if args.stress:
        stress(period.district_id)


def stress(district_id):
    """The demo has no single quarter with every firm, every contract and all 10⁶ petitions (its contracts run
    three years from 2020–2024, its petitions cover the last two years), so the issue's load is made by one
    period spanning the whole history: every contract served in it, every petition counted. Set-based only
    (firm by firm would read the whole history once per firm)."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from properties.models import Contract
    from rankings import services
    from rankings.models import Period

    first = Contract.objects.filter(district_id=district_id).order_by("starts_on").values_list(
        "starts_on", flat=True).first()
    period, _created = Period.objects.get_or_create(
        district_id=district_id, year=1999, quarter=1,
        defaults={"starts_on": first, "ends_on": timezone.localdate() + datetime.timedelta(days=1)})
    pairs = services.served_pairs(period)
    print(f"stress period {period.starts_on} – {period.ends_on}: {len({f for f, *_r in pairs})} firms, "
          f"{len(pairs)} firm × compound pairs")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        scores, _results = services.evaluate(period)
        elapsed = time.perf_counter() - started
    print(f"set-based, whole history: {elapsed:8.2f} s  {len(queries):6d} queries  ({len(scores)} scores)")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
