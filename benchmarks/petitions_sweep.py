#!/usr/bin/env python
"""Benchmark: the deadline sweep's cost follows the overdue petitions, not all open ones.

Run on demand: `.venv/bin/python benchmarks/petitions_sweep.py [--big 1000000] [--small 10000]`. Needs a
PostgreSQL server the `postgres` role can create databases on (BENCH_PG, default postgres://postgres@127.0.0.1:5432);
it drops and re-creates its own database `bench_petitions`.

Scenarios (each: open petitions inserted with one INSERT … SELECT generate_series, ANALYZE, then one sweep):
  A. --small open, 1% overdue                      (the baseline)
  B. --big open, 1% overdue                        (goal: time per overdue petition ≤ 2× A's)
  C. --big open, as many overdue as A              (goal: total time ≤ 2× A's: the open rows cost nothing)
and EXPLAIN (ANALYZE, BUFFERS) of the claim query at --big, which must use the partial index
`petition_open_deadline`.
"""

import argparse
import functools
import time

import inprocess  # beside this script: benchmarks/inprocess.py

DB = "bench_petitions"
setup_django = functools.partial(inprocess.setup_django, DB)
recreate = functools.partial(inprocess.recreate, DB)


def hierarchy():
    from communities.models import Community, Compound, District, Street
    from petitions.models import Category

    district = District.objects.create(name="基准区", code="bench")
    street = Street.objects.create(district=district, name="基准街道")
    community = Community.objects.create(street=street, name="基准社区")
    compounds = [Compound.objects.create(community=community, name=f"小区{i}") for i in range(20)]
    category = Category.objects.create(district=district, code="repair", name="维修", accept_hours=24)
    return district, compounds, category


def fill(compounds, category, open_count: int, overdue: int, now) -> None:
    """open_count open petitions, `overdue` of them past their deadline, spread over the compounds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification, petitions_petitionevent, petitions_whistle, "
                       "petitions_petitionattachment, petitions_petition RESTART IDENTITY CASCADE")
        ids = [c.pk for c in compounds]
        c0 = compounds[0]
        cursor.execute(
            """
            INSERT INTO petitions_petition (
                district_id, street_id, community_id, compound_id, category_id, description, source, external_ref,
                reporter_name, reporter_phone, anonymous, status, level, handler_kind, deadline, deadline_kind,
                escalations, missed_deadlines, reply, rejection_reason, low_ratings, rating_comment, close_reason,
                created_at, settled_level, spot)
            SELECT %s, %s, %s, (%s::int[])[1 + g %% %s], %s, 'bench', 'phone', '', '', '', false,
                   (ARRAY['submitted','accepted','in_progress','reopened'])[1 + g %% 4], 'compound',
                   'community_office',
                   CASE WHEN g <= %s THEN %s::timestamptz - interval '1 minute' * (1 + g %% 600)
                        ELSE %s::timestamptz + interval '1 minute' * (1 + g %% 100000) END,
                   'accept', 0, 0, '', '', 0, '', '', %s::timestamptz - interval '2 days', '', ''
            FROM generate_series(1, %s) AS g
            """,
            [c0.district_id, c0.street_id, c0.community_id, ids, len(ids), category.pk, overdue, now, now, now,
             open_count],
        )
        cursor.execute("ANALYZE petitions_petition")


def sweep_once(now) -> tuple[float, int]:
    from petitions.services import sweep_deadlines

    started = time.perf_counter()
    result = sweep_deadlines(now=now)
    return time.perf_counter() - started, result.total


def explain(now) -> str:
    from django.db import connection, transaction

    from petitions.services import _due_petitions

    qs = _due_petitions(now).select_for_update(skip_locked=True, of=("self",))[:200]
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    recreate()
    setup_django()
    from django.utils import timezone

    _d, compounds, category = hierarchy()
    now = timezone.now()
    scenarios = [
        ("A", args.small, args.small // 100),
        ("B", args.big, args.big // 100),
        ("C", args.big, args.small // 100),
    ]
    figures = {}
    for name, open_count, overdue in scenarios:
        times = []
        for _ in range(args.repeat if overdue <= 1000 else 1):
            fill(compounds, category, open_count, overdue, now)
            if name == "B":
                plan = explain(now)
            seconds, handled = sweep_once(now)
            assert handled == overdue, (handled, overdue)
            times.append(seconds)
        best = min(times)
        figures[name] = (open_count, overdue, best)
        print(f"{name}: {open_count:>9,} open, {overdue:>6,} overdue: sweep {best * 1000:8.1f} ms "
              f"({best / overdue * 1000:.3f} ms per overdue petition)", flush=True)
    a, b, c = figures["A"], figures["B"], figures["C"]
    per_a, per_b = a[2] / a[1], b[2] / b[1]
    print(f"per-overdue cost B/A: {per_b / per_a:.2f} (goal ≤ 2)")
    print(f"same overdue, 100× the open rows, C/A: {c[2] / a[2]:.2f} (goal ≤ 2)")
    print("EXPLAIN of the claim query at the big scale:\n" + plan)
    assert "petition_open_deadline" in plan


if __name__ == "__main__":
    main()
