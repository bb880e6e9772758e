#!/usr/bin/env python
"""Benchmark: the compounds list API at district scale against a bare authenticated DRF endpoint.

Run on demand (`make benchmark`, or `.venv/bin/python benchmarks/compounds_list.py`); never part of the tests.
Needs a PostgreSQL server the `postgres` role can create databases on (BENCH_PG, default
postgres://postgres@127.0.0.1:5432); it drops and re-creates its own databases `bench` and `bench_small`.
No extra tools: gunicorn is a dependency of the project and the load client is plain Python (http.client).

What one run does and prints (figures go into benchmarks/README.md with the date and machine):
  1. seeds the small demo (`bench_small`) and counts the queries of `GET /api/v1/compounds/` per user;
  2. times `manage.py seed_demo --scale district` (goal: at most 3 minutes) into `bench`, counts the queries
     again (goal: the same counts as at small scale) and records EXPLAIN ANALYZE of the list's queries for a
     street user and a firm user;
  3. starts gunicorn (sync workers, CONN_MAX_AGE=60, settings benchmarks.settings which add `bench/bare/`)
     and, from a second process on loopback, sends a bounded number of requests per target after a warm-up,
     in interleaved rounds so that drift of the shared machine hits every target alike;
  4. prints p50/p90/p99 latency and throughput per target and the ratio of each p50 to the bare endpoint's
     (goal: at most 2, issue 14 and docs/performance.md; 3 until 2026-11-30).

Options: --requests N (measured requests per target, default 600), --warmup N (per target, default 60),
--concurrency N (client threads, default 2), --workers N (gunicorn workers, default 2), --rounds N (default 3),
--reuse (skip the seeding and reuse the `bench` database of an earlier run), --keep (leave the databases),
--json PATH (also write the figures as JSON), --wsgi MODULE:APP (the application gunicorn serves, default
config.wsgi:application; another module lets one measure a candidate patch without editing the tree).
The server inherits the environment: `API_LIST_CACHE_SECONDS=0` measures the compounds list without its kept
pages (ADR 0013), i.e. every page computed.
"""

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB_SMALL, DB_DISTRICT = "bench_small", "bench"
SETTINGS = "benchmarks.settings"
VAR_DIR = os.environ.get("BENCH_VAR_DIR", "/tmp/sanfang-bench")
LIST_URL = "/api/v1/compounds/"
BARE_URL = "/bench/bare/"
LIST_USERS = ["district_org", "street_office", "community_office", "firm_staff"]
GOAL_SEED_SECONDS = 180
GOAL_P50_RATIO = 2.0  # issue 14 (3.0 until 2026-11-30)


# The cache as production runs it: Redis, so the API token cache is on (API_TOKEN_CACHE_SECONDS defaults to 0
# without REDIS_URL). BENCH_CACHE= (empty) measures without it.
CACHE = os.environ.get("BENCH_CACHE", "redis://127.0.0.1:6379/13")


def env_for(db: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL", "CELERY_BROKER_URL")}
    if CACHE:
        env["REDIS_URL"] = CACHE
    env.update(DJANGO_SETTINGS_MODULE=SETTINGS, PGOPTIONS="-c client_min_messages=warning", DATABASE_URL=f"{PG}/{db}", VAR_DIR=VAR_DIR, CONN_MAX_AGE="60",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), **extra)
    return env


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{PG}/{db}", "-c", sql], check=True,
                   env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})


def recreate(db: str, template: str | None = None) -> None:
    psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    psql(f"CREATE DATABASE {db}" + (f" TEMPLATE {template}" if template else ""))


def manage(db: str, *args: str) -> float:
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(db), check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def probe(db: str, explain: bool) -> dict:
    """Query counts, visible rows, API tokens and (optionally) EXPLAIN plans, from a child process."""
    out = subprocess.run([PYTHON, __file__, "--probe", "--explain" if explain else "--no-explain"], cwd=ROOT,
                         env=env_for(db), capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"probe failed on {db}:\n{out.stderr}")
    return json.loads(out.stdout)


# --- inside the probe child process ---------------------------------------------------------------------------

def run_probe(explain: bool) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from communities.models import Compound
    from core.tokens import issue_token

    result = {"compounds": Compound.objects.count(), "users": {}, "tokens": {}}
    client = Client()
    for username in LIST_USERS:
        user = get_user_model().objects.get(username=username)
        token = issue_token(user)  # tokens expire: a fresh one for each run
        result["tokens"][username] = token.key
        headers = {"Authorization": f"Token {token.key}"}
        client.get(LIST_URL, headers=headers)  # first request: imports and caches, not counted
        with override_settings(API_LIST_CACHE_SECONDS=0), CaptureQueriesContext(connection) as list_queries:
            response = client.get(LIST_URL, headers=headers)  # the page computed (ADR 0013: not kept)
        assert response.status_code == 200, (username, response.status_code, response.content[:200])
        with CaptureQueriesContext(connection) as kept_queries:
            kept = client.get(LIST_URL, headers=headers)  # the kept page, where the list cache is on
        assert kept.content == response.content, username
        with CaptureQueriesContext(connection) as bare_queries:
            bare = client.get(BARE_URL, headers=headers)
        assert bare.status_code == 200, bare.status_code
        entry = {
            "queries": len(list_queries), "kept_queries": len(kept_queries), "bare_queries": len(bare_queries),
            "visible": response.json()["count"], "page": len(response.json()["results"]),
            "sql": [q["sql"] for q in list_queries.captured_queries],
        }
        if explain and username in ("street_office", "firm_staff"):
            entry["plans"] = []
            with connection.cursor() as cursor:
                for q in list_queries.captured_queries:
                    if "communities_compound" not in q["sql"]:
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + q["sql"])
                    entry["plans"].append({"sql": q["sql"], "plan": [row[0] for row in cursor.fetchall()]})
        result["users"][username] = entry
    result["tokens"]["bare"] = result["tokens"]["district_org"]
    print(json.dumps(result))


# --- the load client (a second process) -----------------------------------------------------------------------

def run_load(spec: dict) -> None:
    """Sends spec['requests'] requests per target in spec['rounds'] interleaved rounds after a warm-up;
    prints per-target latencies (seconds) and busy time as JSON."""
    host, port = spec["host"], spec["port"]
    targets = spec["targets"]  # name -> [path, token] or [path, token, JSON body to POST]
    concurrency = spec["concurrency"]

    def send(conn: http.client.HTTPConnection, path: str, token: str, payload=None) -> float:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        data = None
        if payload is not None:
            data, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
        started = time.perf_counter()
        conn.request("GET" if payload is None else "POST", path, body=data, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status not in (200, 201):
            raise RuntimeError(f"{path}: HTTP {response.status} {body[:200]!r}")
        if response.will_close:
            conn.close()
        return elapsed

    def batch(path: str, token: str, count: int, payload=None) -> tuple[list[float], float]:
        latencies: list[float] = []
        lock = threading.Lock()
        remaining = [count]
        errors: list[BaseException] = []

        def worker():
            conn = http.client.HTTPConnection(host, port, timeout=30)
            try:
                while True:
                    with lock:
                        if remaining[0] <= 0 or errors:
                            return
                        remaining[0] -= 1
                    elapsed = send(conn, path, token, payload)
                    with lock:
                        latencies.append(elapsed)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                errors.append(exc)
            finally:
                conn.close()

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return latencies, time.perf_counter() - started

    for target in targets.values():
        batch(*target[:2], spec["warmup"], *target[2:])
    results = {name: {"latencies": [], "seconds": 0.0} for name in targets}
    per_round = max(1, spec["requests"] // spec["rounds"])
    for _round in range(spec["rounds"]):
        for name, target in targets.items():
            latencies, seconds = batch(*target[:2], per_round, *target[2:])
            results[name]["latencies"] += latencies
            results[name]["seconds"] += seconds
    print(json.dumps(results))


# --- the orchestration ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pg = subprocess.run(["psql", "-tA", f"{PG}/postgres", "-c", "SHOW server_version"], capture_output=True,
                        text=True).stdout.strip()
    return f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}, PostgreSQL {pg}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--wsgi", default="config.wsgi:application")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action=argparse.BooleanOptionalAction, help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        run_probe(args.explain)
        return 0
    if args.load:
        run_load(json.loads(args.load))
        return 0

    Path(VAR_DIR).mkdir(parents=True, exist_ok=True)
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(),
                    "load_before": round(os.getloadavg()[0], 2)}
    print(f"# compounds list benchmark — {report['date']} — {report['machine']}")
    if not args.reuse:
        # One migrated template, copied for both scales (migrating twice would cost more than the copy).
        recreate("bench_template")
        manage("bench_template", "migrate", "--no-input", "-v0")
        recreate(DB_SMALL, "bench_template")
        manage(DB_SMALL, "seed_demo", "--scale", "small")
        small = probe(DB_SMALL, explain=False)
        report["small"] = {u: small["users"][u]["queries"] for u in LIST_USERS}
        report["small_compounds"] = small["compounds"]
        recreate(DB_DISTRICT, "bench_template")
        print("seeding the district scale …", flush=True)
        report["seed_seconds"] = round(manage(DB_DISTRICT, "seed_demo", "--scale", "district"), 1)
        print(f"seed_demo --scale district: {report['seed_seconds']} s (goal ≤ {GOAL_SEED_SECONDS} s)")
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB_SMALL} WITH (FORCE)")
        psql("DROP DATABASE IF EXISTS bench_template WITH (FORCE)")
    # Fresh statistics, as autovacuum would have them on a live database.
    psql("VACUUM ANALYZE", DB_DISTRICT)
    district = probe(DB_DISTRICT, explain=True)
    report["district"] = {u: district["users"][u]["queries"] for u in LIST_USERS}
    report["kept"] = {u: district["users"][u]["kept_queries"] for u in LIST_USERS}
    report["list_cache_seconds"] = os.environ.get("API_LIST_CACHE_SECONDS", "default (300 with BENCH_CACHE)")
    report["district_compounds"] = district["compounds"]
    report["visible"] = {u: district["users"][u]["visible"] for u in LIST_USERS}
    report["bare_queries"] = district["users"]["district_org"]["bare_queries"]
    report["plans"] = {u: district["users"][u]["plans"] for u in ("street_office", "firm_staff")}

    port = free_port()
    log = open(Path(VAR_DIR) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), args.wsgi, "--chdir", str(ROOT),
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--worker-class", "sync",
         "--log-level", "warning"],
        env=env_for(DB_DISTRICT), stdout=log, stderr=log, start_new_session=True,
    )
    try:
        wait_for(port)
        tokens = district["tokens"]
        targets = {"bare": [BARE_URL, tokens["bare"]]}
        targets.update({u: [LIST_URL, tokens[u]] for u in LIST_USERS})
        spec = {"host": "127.0.0.1", "port": port, "targets": targets, "concurrency": args.concurrency,
                "warmup": args.warmup, "requests": args.requests, "rounds": args.rounds}
        out = subprocess.run([PYTHON, __file__, "--load", json.dumps(spec)], cwd=ROOT, capture_output=True,
                             text=True)
        if out.returncode:
            sys.exit(f"load client failed (server log: {VAR_DIR}/gunicorn.log):\n{out.stderr}")
        load = json.loads(out.stdout)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    bare_p50 = statistics.median(load["bare"]["latencies"])
    report["load"] = {}
    for name, figures in load.items():
        lat = figures["latencies"]
        report["load"][name] = {
            "n": len(lat), "p50_ms": round(statistics.median(lat) * 1000, 2),
            "p90_ms": round(percentile(lat, 90) * 1000, 2), "p99_ms": round(percentile(lat, 99) * 1000, 2),
            "rps": round(len(lat) / figures["seconds"], 1),
            "p50_ratio": round(statistics.median(lat) / bare_p50, 2),
        }
    report["load_after"] = round(os.getloadavg()[0], 2)
    report["settings"] = {"workers": args.workers, "concurrency": args.concurrency, "requests": args.requests,
                          "warmup": args.warmup, "rounds": args.rounds, "conn_max_age": 60}
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DB_DISTRICT} WITH (FORCE)")
    ok = all(v["p50_ratio"] <= GOAL_P50_RATIO for v in report["load"].values())
    ok &= report.get("seed_seconds", 0) <= GOAL_SEED_SECONDS
    ok &= "small" not in report or report["small"] == report["district"]
    return 0 if ok else 1


def print_report(r: dict) -> None:
    s = r["settings"]
    print(f"\nserver: gunicorn sync, {s['workers']} workers, CONN_MAX_AGE={s['conn_max_age']}; client: second "
          f"process, {s['concurrency']} threads, {s['warmup']} warm-up + {s['requests']} requests per target "
          f"in {s['rounds']} interleaved rounds")
    print(f"load average (1 min) before/after: {r['load_before']} / {r['load_after']} (other work on the machine "
          "inflates every figure; the ratios are what to compare)")
    if "seed_seconds" in r:
        verdict = "ok" if r["seed_seconds"] <= GOAL_SEED_SECONDS else "OVER GOAL"
        print(f"seed_demo --scale district: {r['seed_seconds']} s (goal ≤ {GOAL_SEED_SECONDS} s: {verdict})")
    print(f"\nqueries per request (bare endpoint: {r['bare_queries']}; 'kept': the page answered from the list "
          f"cache, API_LIST_CACHE_SECONDS={r['list_cache_seconds']})")
    print(f"{'user':18} {'visible':>8} {'small':>6} {'district':>9} {'kept':>5}")
    for u, n in r["district"].items():
        small = r.get("small", {}).get(u, "—")
        print(f"{u:18} {r['visible'][u]:>8} {small:>6} {n:>9} {r['kept'][u]:>5}")
    print(f"(compounds in the database: small {r.get('small_compounds', '—')}, district {r['district_compounds']})")
    print(f"\n{'target':18} {'n':>5} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'req/s':>7} {'p50/bare':>9}")
    for name, v in r["load"].items():
        flag = "" if v["p50_ratio"] <= GOAL_P50_RATIO else "  OVER GOAL"
        print(f"{name:18} {v['n']:>5} {v['p50_ms']:>8} {v['p90_ms']:>8} {v['p99_ms']:>8} {v['rps']:>7} "
              f"{v['p50_ratio']:>8}×{flag}")
    for user, plans in r["plans"].items():
        print(f"\nEXPLAIN ANALYZE, compounds list as {user}:")
        for p in plans:
            print("  " + p["sql"][:160] + (" …" if len(p["sql"]) > 160 else ""))
            for line in p["plan"]:
                print("    " + line)


if __name__ == "__main__":
    sys.exit(main())
