"""The campaign table's progress at district scale: all 25 rows (ten measured from the street offices and the
campaign's records since issue 11's last rows) against the 17 rows measured before, timed in the same run.

    .venv/bin/python benchmarks/campaign_targets.py --db bench_campaign           # drop, create, migrate, seed
    .venv/bin/python benchmarks/campaign_targets.py --db bench_campaign --reuse   # time the last seeded database

Seeds with the demo's own code (`seed_demo --scale district`: the district-scale plan of 16 streets, 90
communities, 1,151 compounds, and a small second district of 2 streets and 4 communities), then for each district
times `governance.selectors.targets_progress` over all its communities — what the overview, the admin's progress
page and the API's progress route each ask — in interleaved rounds: the rows measured before (baseline) and every
row. In-process (no HTTP): the progress is all a page adds for the campaign. Prints p50/p95 in ms and the queries
per call at both scales.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.inprocess import recreate, setup_django  # noqa: E402

# The measures of the rows measured before the street offices and the campaign's records came.
NEW = {"street_offices_set_up", "street_offices_staffed", "onboarding_training", "enforcement_in_communities",
       "co_building_projects", "micro_projects_funded", "service_funds_granted", "social_organizations",
       "demonstration_compounds", "model_commissioners", "beautiful_homes", "post_stations"}


def _ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _p95(values) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench_campaign")
    parser.add_argument("--reuse", action="store_true", help="time the database seeded by an earlier run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20, help="calls per round and variant")
    args = parser.parse_args()
    if not args.reuse:
        recreate(args.db)
    setup_django(args.db)

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.models import Community, District
    from governance.models import CampaignTarget
    from governance.selectors import targets_progress

    if not args.reuse:
        started = time.perf_counter()
        call_command("seed_demo", scale="district", verbosity=0)
        print(f"seed_demo --scale district: {time.perf_counter() - started:.1f} s")
    today = datetime.date.today()
    for district in District.objects.order_by("pk"):
        targets = list(CampaignTarget.objects.filter(district=district).order_by("number"))
        variants = {"before": [t for t in targets if t.measure and t.measure not in NEW], "all": targets}
        communities = Community.objects.filter(district=district)
        times = {name: [] for name in variants}
        queries = {}
        for name, rows in variants.items():
            targets_progress(rows, communities, today=today)  # warm the plans and the caches
            with CaptureQueriesContext(connection) as captured:
                targets_progress(rows, communities, today=today)
            queries[name] = len(captured)
        for _round in range(args.rounds):
            for name, rows in variants.items():
                times[name] += [_ms(lambda rows=rows, nodes=communities: targets_progress(rows, nodes, today=today))
                                for _ in range(args.calls)]
        print(f"{district.name}: {communities.count()} communities")
        for name, values in times.items():
            print(f"  {name:6} rows {len(variants[name]):2}  queries {queries[name]:2}  "
                  f"p50 {statistics.median(values):7.1f} ms  p95 {_p95(values):7.1f} ms")


if __name__ == "__main__":
    main()
