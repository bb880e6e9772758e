#!/usr/bin/env python
"""Benchmark: the dashboards' whole overview page of a district (GET as the district's district_org: middleware,
selectors, tables, charts, template) at district scale and at 1/100 of it, against the same page with its petition
figures grouped from the raw rows, in one run.

Run on demand, on the database `petition_figures.py` seeds (two districts: 1,151 compounds and ~340,000 households
with 10⁶ petitions, and 12 compounds with 10⁴):

  .venv/bin/python benchmarks/petition_figures.py --db bench_figures_dash2 --seed-only   # once, untimed
  .venv/bin/python benchmarks/dashboards_overview.py --db bench_figures_dash2            # timed

Per district and period (the month to date, the quarter, the calendar year, the last 12 whole months), interleaved
in rounds so that the machine's drift hits both alike:
  summaries — the page as it is: the node's petition figures and its children's columns read from the summary
              tables (`petition_figures`, `petition_figures_by_node`);
  GROUP BY  — the same page with those two swapped for groupings of the raw rows: the selector as it was before
              the summaries (`petition_figures.figures_by_group_by`, SQL aggregates and PERCENTILE_CONT medians)
              and `petition_figures_by_node_raw`.
Checks first that the page's figures from the summaries equal those counted from the raw rows
(`petition_figures_raw`, `petition_figures_by_node_raw`), and counts each page's queries.
Goals (issue 11): p50 GROUP BY / p50 summaries ≥ 20 at full scale; p95 at full scale ≤ 1.5 × p95 at 1/100; the
same number of queries at both scales. Exit status 1 when a goal is missed.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from unittest import mock

import inprocess  # beside this script: benchmarks/inprocess.py
from petition_figures import figures_by_group_by, pct


def periods(today: datetime.date) -> dict[str, dict]:
    """The page's query string of each period measured."""
    month = today.replace(day=1)
    twelve = (month.replace(year=month.year - 1) + datetime.timedelta(days=32)).replace(day=1)
    return {
        "month": {"period": "month", "at": today.isoformat()},
        "quarter": {"period": "quarter", "at": today.isoformat()},
        "year": {"period": "year", "at": today.isoformat()},
        "12 months": {"period": "custom", "start": twelve.isoformat(),
                      "end": (month - datetime.timedelta(days=1)).isoformat()},
    }


def login(district):
    """A client logged in as the district's organization department (made once per district)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from communities.models import Role, RoleAssignment

    user, _made = get_user_model().objects.get_or_create(username=f"bench_org_{district.pk}")
    RoleAssignment.objects.get_or_create(user=user, role=Role.DISTRICT_ORG, district=district)
    client = Client()
    client.force_login(user)
    return client


def raw_group_by():
    """The page's petition figures grouped from the raw rows (the baseline)."""
    from petitions.selectors import petition_figures_by_node_raw

    return mock.patch.multiple("dashboards.selectors", petition_figures=figures_by_group_by,
                               petition_figures_by_node=petition_figures_by_node_raw)


def check_equal(district, params) -> None:
    """The overview's figures from the summaries equal those counted from the raw rows."""
    from dashboards import selectors
    from dashboards.periods import period_from
    from petitions.selectors import petition_figures_by_node_raw, petition_figures_raw

    period, _form = period_from(params)
    got = selectors.overview(district, period)
    with mock.patch.multiple("dashboards.selectors", petition_figures=petition_figures_raw,
                             petition_figures_by_node=petition_figures_by_node_raw):
        expected = selectors.overview(district, period)
    for key in ("totals", "petitions", "children"):
        assert got[key] == expected[key], (district.name, params, key)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench_figures", help="the database petition_figures.py seeded")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=12, help="summary pages per target and round")
    args = parser.parse_args()
    load_before = os.getloadavg()
    print(f"load average before: {load_before}", flush=True)
    inprocess.setup_django(args.db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from communities.models import District

    districts = list(District.objects.order_by("-pk")[:2])
    if len(districts) < 2:
        sys.exit(f"{args.db} is not seeded: run petition_figures.py --db {args.db} --seed-only first")
    small, full = districts
    today = timezone.localdate()
    targets = []
    for scale, district in (("full", full), ("1/100", small)):
        client = login(district)
        url = reverse("dashboards:overview", args=["district", district.pk])
        for name, params in periods(today).items():
            check_equal(district, params)
            client.get(url, params)  # warm
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            targets.append((scale, name, client, url, params, len(queries.captured_queries)))
            print(f"{scale:>5} {name:<9}: {len(queries.captured_queries)} queries; figures equal to the raw "
                  "rows' ✔", flush=True)
    times = {(scale, name, way): [] for scale, name, *_rest in targets for way in ("summaries", "group by")}
    for _round in range(args.rounds):
        for scale, name, client, url, params, _q in targets:
            for _ in range(args.samples):
                t = time.perf_counter()
                client.get(url, params)
                times[scale, name, "summaries"].append(time.perf_counter() - t)
            with raw_group_by():
                t = time.perf_counter()
                client.get(url, params)
                times[scale, name, "group by"].append(time.perf_counter() - t)
    load_after = os.getloadavg()
    print(f"load average after: {load_after}\n")
    print("| scale | period | queries | summaries p50 ms | p95 ms | GROUP BY p50 ms | × faster (p50) |")
    print("|---|---|---|---|---|---|---|")
    failed = []
    queries = {}
    for scale, name, _c, _u, _p, count in targets:
        s, g = times[scale, name, "summaries"], times[scale, name, "group by"]
        ratio = statistics.median(g) / statistics.median(s)
        queries[scale, name] = count
        print(f"| {scale} | {name} | {count} | {statistics.median(s) * 1000:.1f} | {pct(s, .95) * 1000:.1f} | "
              f"{statistics.median(g) * 1000:,.0f} | {ratio:.0f}× |")
        if scale == "full" and ratio < 20:
            failed.append(f"{name}: GROUP BY only {ratio:.1f}× slower")
    print("\np95 full / p95 1/100 (goal ≤ 1.5), queries full = 1/100:")
    for name in periods(today):
        quotient = pct(times["full", name, "summaries"], .95) / pct(times["1/100", name, "summaries"], .95)
        same = queries["full", name] == queries["1/100", name]
        print(f"  {name:<9}: {quotient:.2f}; queries {queries['full', name]} / {queries['1/100', name]} "
              f"{'✔' if same else '✘'}")
        if quotient > 1.5:
            failed.append(f"{name}: p95 ratio {quotient:.2f}")
        if not same:
            failed.append(f"{name}: queries differ")
    print("\nmissed: " + "; ".join(failed) if failed else "\nevery goal met")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
