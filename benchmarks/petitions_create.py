#!/usr/bin/env python
"""Benchmark: petition-create API throughput as a ratio to the bare authenticated DRF endpoint, same run.

Run on demand: `.venv/bin/python benchmarks/petitions_create.py`; never part of the tests. Reuses the harness of
benchmarks/compounds_list.py (database helpers, gunicorn start-up, the load client in a second process):

  1. a fresh database `bench_petitions` (BENCH_PG, default postgres://postgres@127.0.0.1:5432), migrated and
     seeded with the small demo;
  2. the queries of one create, counted in a child process through the whole stack (token header, middleware,
     DRF), for a resident's portal report and a street office's hotline record;
  3. gunicorn (sync workers, CONN_MAX_AGE=60, benchmarks.settings: production middleware and authentication,
     plus `bench/bare/`) and, from a second process on loopback, a warm-up and then a bounded number of
     requests per target in interleaved rounds: `bare` (GET, as the resident), `create` (POST, the resident's
     report) and `record` (POST, the street office recording a hotline call);
  4. throughput per target and each create's throughput as a share of the bare endpoint's (goal ≥ 60%, docs/performance.md; pass --concurrency 8 for the goal's 8 connections).

A create writes the handler's notice into the outbox (the Notification table) and queues no task; the broker
is still configured as in production (--broker, default redis://127.0.0.1:6379/14; anything queued is deleted at
the end) or, with --broker filesystem://, the file transport of development.

Options: --requests N (per target, default 600), --warmup N (default 60), --concurrency N (client threads,
default 2), --workers N (gunicorn, default 2), --rounds N (default 3), --broker URL, --reuse, --keep, --db NAME
(default bench_petitions).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_VAR_DIR", "/tmp/sanfang-bench-petitions")

from benchmarks import compounds_list as harness  # noqa: E402

DB = "bench_petitions"
GOAL_SHARE = 0.60  # docs/performance.md (raised from 40% on 2026-11-30)
BARE_URL, CREATE_URL = "/bench/bare/", "/api/v1/petitions/"


def run_probe() -> None:
    """In a child process: tokens, payloads and the queries of one create per kind (after a warm-up create)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from communities.demo import first_compound
    from communities.models import District
    from core.tokens import issue_token
    from petitions.models import Category

    district = District.objects.order_by("pk").first()
    category = Category.objects.get(district=district, code="repair")
    compound = first_compound(district, 0)
    out = {"tokens": {}, "payloads": {}, "queries": {}, "sql": {}}
    for name, username in (("create", "resident"), ("record", "street_office")):
        token = issue_token(get_user_model().objects.get(username=username))
        out["tokens"][name] = token.key
    out["payloads"]["create"] = {"category": category.pk, "description": "基准测试：楼道灯不亮"}
    out["payloads"]["record"] = {"category": category.pk, "compound": compound.pk, "source": "phone",
                                 "description": "基准测试：来电反映电梯异响", "reporter_phone": "13800000000"}
    client = Client()
    for name in ("create", "record"):
        headers = {"Authorization": f"Token {out['tokens'][name]}"}
        for _warm_then_counted in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.post(CREATE_URL, out["payloads"][name], content_type="application/json",
                                       headers=headers)
            assert response.status_code == 201, (name, response.status_code, response.content[:300])
        out["queries"][name] = len(queries)
        out["sql"][name] = [q["sql"][:120] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BARE_URL, headers={"Authorization": f"Token {out['tokens']['create']}"}).status_code == 200
    out["queries"]["bare"] = len(queries)
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--db", default=DB, help="the database it drops and creates (default %(default)s)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        run_probe()
        return 0

    Path(harness.VAR_DIR).mkdir(parents=True, exist_ok=True)
    print(f"# petition create benchmark — {time.strftime('%Y-%m-%d %H:%M %Z')} — {harness.machine()}")
    load_before = round(os.getloadavg()[0], 2)
    db = args.db
    if not args.reuse:
        harness.recreate(db)
        harness.manage(db, "migrate", "--no-input", "-v0")
        harness.manage(db, "seed_demo", "--scale", "small")
    probe = subprocess.run([harness.PYTHON, __file__, "--probe"], cwd=ROOT, env=harness.env_for(db),
                           capture_output=True, text=True)
    if probe.returncode:
        sys.exit(f"probe failed:\n{probe.stderr}")
    probe = json.loads(probe.stdout)

    server_env = harness.env_for(db, CELERY_BROKER_URL=args.broker)
    port = harness.free_port()
    log = open(Path(harness.VAR_DIR) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(Path(harness.PYTHON).parent / "gunicorn"), "config.wsgi:application", "--chdir", str(ROOT),
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--worker-class", "sync",
         "--log-level", "warning"],
        env=server_env, stdout=log, stderr=log, start_new_session=True,
    )
    try:
        harness.wait_for(port)
        tokens, payloads = probe["tokens"], probe["payloads"]
        targets = {
            "bare": [BARE_URL, tokens["create"]],
            "create": [CREATE_URL, tokens["create"], payloads["create"]],
            "record": [CREATE_URL, tokens["record"], payloads["record"]],
        }
        spec = {"host": "127.0.0.1", "port": port, "targets": targets, "concurrency": args.concurrency,
                "warmup": args.warmup, "requests": args.requests, "rounds": args.rounds}
        out = subprocess.run([harness.PYTHON, harness.__file__, "--load", json.dumps(spec)], cwd=ROOT,
                             capture_output=True, text=True)
        if out.returncode:
            sys.exit(f"load client failed (server log: {harness.VAR_DIR}/gunicorn.log):\n{out.stderr}")
        load = json.loads(out.stdout)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        if args.broker.startswith("redis://"):
            import redis

            queue = redis.Redis.from_url(args.broker)
            queue.delete("celery", *queue.keys("_kombu.binding*"))
    if not args.keep:
        harness.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    print(f"server: gunicorn sync, {args.workers} workers, CONN_MAX_AGE=60; client: second process, "
          f"{args.concurrency} threads, {args.warmup} warm-up + {args.requests} requests per target in "
          f"{args.rounds} interleaved rounds")
    print(f"Celery broker: {args.broker}")
    print(f"load average (1 min) before/after: {load_before} / {round(os.getloadavg()[0], 2)}")
    print("queries per request: " + ", ".join(f"{k} {v}" for k, v in probe["queries"].items()))
    for name in ("create", "record"):
        print(f"  {name}: " + " | ".join(probe["sql"][name]))
    bare_rps = len(load["bare"]["latencies"]) / load["bare"]["seconds"]
    ok = True
    print(f"\n{'target':8} {'n':>5} {'p50 ms':>8} {'p90 ms':>8} {'req/s':>7} {'share of bare':>14}")
    for name, figures in load.items():
        lat = figures["latencies"]
        rps = len(lat) / figures["seconds"]
        share = rps / bare_rps
        flag = "" if name == "bare" or share >= GOAL_SHARE else "  UNDER GOAL"
        ok &= not flag
        print(f"{name:8} {len(lat):>5} {harness.statistics.median(lat) * 1000:>8.2f} "
              f"{harness.percentile(lat, 90) * 1000:>8.2f} {rps:>7.0f} {share:>13.0%}{flag}")
    print(f"(goal: each create ≥ {GOAL_SHARE:.0%} of the bare endpoint's throughput)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
