#!/usr/bin/env python
"""Benchmark: the platform against django-helpdesk, the tracker a district would otherwise run, side by side.

Run on demand, one command: `.venv/bin/python benchmarks/peer_helpdesk.py` (never part of the tests). Needs
PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432; it drops and creates `bench_peer`,
`bench_peer_sweep` and `bench_peer_helpdesk`), Redis for the platform's Celery broker (--broker), and `wrk`
(Debian package `wrk`; the run stops with a message if it is missing).

  1. a throwaway virtualenv OUTSIDE the tree (--venv, default /tmp/sanfang-peer-venv) with django-helpdesk and
     the same Django, DRF, psycopg2 and gunicorn as the platform, pinned (HELPDESK_PINS); made once, reused while
     the pins are the same. No code of django-helpdesk is in this repository: benchmarks/peer/ holds only the
     minimal site that hosts it (settings, urls, a driver for its setup and its sweep);
  2. both sites on their own database: the platform migrated and seeded with the small demo, helpdesk migrated
     with a queue (escalation after 1 day) and a staff agent (its ticket API wants staff) with a DRF token;
  3. both served by gunicorn alike (sync workers by default, --workers, CONN_MAX_AGE=60) at the same time, each idle while
     the other is measured; one load client, `wrk -t1 -c<connections>` for --seconds per target, the four
     targets interleaved in --rounds rounds: the platform's bare token endpoint, its petition create (the
     resident's report), the floor endpoint (the bare endpoint plus one durable INSERT of the create's text:
     the ceiling of any create on this stack), helpdesk's bare token endpoint (the same DRF view), helpdesk's
     ticket create (its API);
  4. the sweeps in-process, interleaved, --sweep-repeat times at each of 10⁴ and 10⁵ open with 1% overdue: the
     platform's `sweep_deadlines` with real recipients (two community-office users where the petitions are, the
     reporter: three notices per escalation, written and queued for delivery like in production) against
     helpdesk's `escalate_tickets` (a submitter and an assigned agent per ticket: two mails per escalation,
     rendered, into Django's in-memory mail backend);
  5. prints the ratios against the goals and exits 1 when one is missed:
       create ≥ 5× helpdesk's create, and ≥ 60% of the platform's bare endpoint (throughput, same connections);
       sweep cost per escalated item ≤ ¼ of helpdesk's, at both sizes (notices included).

Options: --seconds N (per target and round, default 8), --rounds N (default 4), --connections N (default 8),
--workers N (default 2), --sweep-repeat N (default 3), --sizes 10000,100000, --skip-http, --skip-sweep,
--venv PATH, --broker URL, --worker-class sync|gthread and --threads N (both servers; default sync, as issue 14
measured), --keep (leave the databases), --reuse (the databases of a run with --keep).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_VAR_DIR", "/tmp/sanfang-bench-peer")

from benchmarks import compounds_list as harness  # noqa: E402

DB, DB_SWEEP, DB_HELPDESK = "bench_peer", "bench_peer_sweep", "bench_peer_helpdesk"
# django-helpdesk at its release of 2026-10, on the platform's own Django, DRF and database driver.
HELPDESK_PINS = ["django-helpdesk==2.6.1", "Django==5.2.19", "djangorestframework==3.18.3",
                 "psycopg2-binary==2.9.13", "gunicorn==27.0.1"]
GOAL_VS_HELPDESK, GOAL_SHARE, GOAL_SWEEP = 5.0, 0.60, 0.25
BARE_URL, CREATE_URL, FLOOR_URL = "/bench/bare/", "/api/v1/petitions/", "/bench/floor/"
HD_BARE_URL, HD_CREATE_URL = "/bench/bare/", "/helpdesk/api/tickets/"
WRK_SCRIPT = """
wrk.method = "{method}"
wrk.headers["Authorization"] = "Token {token}"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
{body}
"""


# --- the helpdesk virtualenv ----------------------------------------------------------------------------------

def ensure_venv(venv: Path) -> Path:
    """The virtualenv with HELPDESK_PINS, made (or remade when the pins changed) outside the tree."""
    marker = venv / "sanfang-pins.txt"
    pins = "\n".join(HELPDESK_PINS)
    python = venv / "bin" / "python"
    if python.exists() and marker.exists() and marker.read_text() == pins:
        return python
    print(f"making the helpdesk virtualenv in {venv} …", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *HELPDESK_PINS], check=True)
    marker.write_text(pins)
    return python


def helpdesk_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL", "CELERY_BROKER_URL",
                                                             "VIRTUAL_ENV")}
    env.update(DJANGO_SETTINGS_MODULE="benchmarks.peer.helpdesk_settings", DATABASE_URL=f"{harness.PG}/{DB_HELPDESK}",
               PGOPTIONS="-c client_min_messages=warning", PYTHONPATH=str(ROOT), **extra)
    return env


def helpdesk_driver(python: Path, *args: str) -> dict:
    out = subprocess.run([str(python), str(ROOT / "benchmarks" / "peer" / "helpdesk_driver.py"), *args],
                         cwd=ROOT, env=helpdesk_env(), capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"helpdesk driver {args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the platform's side (child processes of the project's own Python) ----------------------------------------

def run_our_probe() -> None:
    """Token and payload of the resident's report; one create made and checked (201) first."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from communities.models import District
    from core.tokens import issue_token
    from petitions.models import Category

    district = District.objects.order_by("pk").first()
    category = Category.objects.get(district=district, code="repair")
    token = issue_token(get_user_model().objects.get(username="resident")).key
    payload = {"category": category.pk, "description": "基准测试：楼道灯不亮"}
    response = Client().post(CREATE_URL, payload, content_type="application/json",
                             headers={"Authorization": f"Token {token}"})
    assert response.status_code == 201, (response.status_code, response.content[:300])
    print(json.dumps({"token": token, "payload": payload}))


def run_our_sweep(open_count: int) -> None:
    """`open_count` open petitions at compound level, 1% past their deadline, each with a reporter; two
    community-office users, a street office and a district centre with their roles; one timed sweep."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from communities.models import Community, Compound, District, Role, RoleAssignment, Street
    from notifications.models import Notification
    from petitions.models import Category
    from petitions.services import sweep_deadlines

    User = get_user_model()
    district = District.objects.filter(code="bench").first()
    if district is None:
        district = District.objects.create(name="基准区", code="bench")
        street = Street.objects.create(district=district, name="基准街道")
        community = Community.objects.create(street=street, name="基准社区")
        for i in range(20):
            Compound.objects.create(community=community, name=f"小区{i}")
        Category.objects.create(district=district, code="repair", name="维修", accept_hours=24)
        User.objects.create_user("reporter")
        for name, role, node in (("community_a", Role.COMMUNITY_OFFICE, {"community": community}),
                                 ("community_b", Role.COMMUNITY_OFFICE, {"community": community}),
                                 ("street", Role.STREET_OFFICE, {"street": street}),
                                 ("center", Role.DISTRICT_CENTER, {})):
            RoleAssignment.objects.create(user=User.objects.create_user(name), role=role, district=district, **node)
    compounds = list(Compound.objects.filter(district=district).order_by("pk"))
    category = Category.objects.get(district=district, code="repair")
    reporter = User.objects.get(username="reporter")
    c0 = compounds[0]

    def fill(count: int, now) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE notifications_notification, petitions_petitionevent, petitions_whistle, "
                           "petitions_petitionattachment, petitions_petition RESTART IDENTITY CASCADE")
            cursor.execute(
                """
                INSERT INTO petitions_petition (
                    district_id, street_id, community_id, compound_id, category_id, description, source,
                    external_ref, reporter_id, reporter_name, reporter_phone, anonymous, status, level, handler_kind,
                    deadline, deadline_kind, escalations, missed_deadlines, reply, rejection_reason, low_ratings,
                    rating_comment, close_reason, created_at, settled_level, spot)
                SELECT %s, %s, %s, (%s::int[])[1 + g %% %s], %s, 'bench', 'portal', '', %s, '', '', false,
                       (ARRAY['submitted','accepted','in_progress','reopened'])[1 + g %% 4], 'compound',
                       'community_office',
                       CASE WHEN g <= %s THEN %s::timestamptz - interval '1 minute' * (1 + g %% 600)
                            ELSE %s::timestamptz + interval '1 minute' * (1 + g %% 100000) END,
                       'accept', 0, 0, '', '', 0, '', '', %s::timestamptz - interval '2 days', '', ''
                  FROM generate_series(1, %s) AS g
                """,
                [c0.district_id, c0.street_id, c0.community_id, [c.pk for c in compounds], len(compounds),
                 category.pk, reporter.pk, count // 100, now, now, now, count],
            )
            cursor.execute("ANALYZE petitions_petition")

    # A warm-up sweep first (imports, translations, the broker connection), as in a long-running worker.
    fill(500, timezone.now())
    sweep_deadlines(now=timezone.now())
    overdue, now = open_count // 100, timezone.now()
    fill(open_count, now)
    started = time.perf_counter()
    result = sweep_deadlines(now=now)
    seconds = time.perf_counter() - started
    notices = Notification.objects.count()
    print(json.dumps({"seconds": seconds, "escalated": result.total, "overdue": overdue, "open": open_count,
                      "notices": notices}))


def our_child(*args: str, db: str, **env) -> dict:
    out = subprocess.run([harness.PYTHON, __file__, *args], cwd=ROOT, env=harness.env_for(db, **env),
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_floor(spec: dict) -> None:
    """The floor of a durable create on this machine: one-row INSERT + COMMIT (synchronous_commit on, as the
    platform runs) on a scratch table, from `threads` connections at once for `seconds`; throughput and p50."""
    import threading

    import psycopg2

    latencies: list[float] = []
    stop = time.perf_counter() + spec["seconds"]

    def worker():
        conn = psycopg2.connect(spec["dsn"])
        cursor = conn.cursor()
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            cursor.execute("INSERT INTO bench_floor (body, at) VALUES (%s, now())", ["基准测试：楼道灯不亮"])
            conn.commit()
            mine.append(time.perf_counter() - started)
        conn.close()
        latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(spec["threads"])]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"rps": len(latencies) / (time.perf_counter() - started),
                      "p50_ms": statistics.median(latencies) * 1000}))


FLOOR_TABLE = "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, body text, at timestamptz)"


def floor_table() -> None:
    """The scratch table of the floor, in SQL and over HTTP (`bench/floor/`)."""
    import psycopg2

    with psycopg2.connect(f"{harness.PG}/{DB}") as conn, conn.cursor() as cursor:
        cursor.execute(FLOOR_TABLE)
    conn.close()


def floor(threads: int, seconds: int) -> dict:
    spec = {"dsn": f"{harness.PG}/{DB}", "threads": threads, "seconds": seconds}
    out = subprocess.run([harness.PYTHON, __file__, "--floor", json.dumps(spec)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"floor failed:\n{out.stderr}")
    return json.loads(out.stdout)


# --- load -----------------------------------------------------------------------------------------------------

def wrk(port: int, path: str, token: str, payload, seconds: int, connections: int, scripts: Path) -> dict:
    body = "" if payload is None else f"wrk.body = [==[{json.dumps(payload)}]==]"  # a Lua long string: as is
    script = scripts / f"{port}{path.replace('/', '_')}.lua"
    script.write_text(WRK_SCRIPT.format(method="GET" if payload is None else "POST", token=token, body=body))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", str(script),
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad or "Socket errors" in out:
        sys.exit(f"wrk {path}: errors\n{out}\none request of it answers: {sample(port, path, token, payload)}")
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": to_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
            "p99_ms": to_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))}


def sample(port: int, path: str, token: str, payload) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET" if payload is None else "POST", path, body=None if payload is None else json.dumps(payload),
                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    return f"HTTP {response.status} {response.read()[:300]!r}"


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def gunicorn(binary: Path, app: str, env: dict, args, log) -> tuple[subprocess.Popen, int]:
    """One server with the run's workers, worker class and threads: the same for both sites."""
    port = harness.free_port()
    threads = ["--threads", str(args.threads)] if args.worker_class == "gthread" else []
    server = subprocess.Popen(
        [str(binary), app, "--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--worker-class", args.worker_class, *threads, "--log-level", "warning"],
        env=env, stdout=log, stderr=log, start_new_session=True,
    )
    return server, port


def http_figures(args, python: Path) -> tuple[dict, dict]:
    ours = our_child("--probe-ours", db=DB)
    floor_table()
    theirs = helpdesk_driver(python, "setup")
    log = open(Path(harness.VAR_DIR) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    servers = []
    try:
        our_env = harness.env_for(DB, CELERY_BROKER_URL=args.broker)
        our_server, our_port = gunicorn(Path(harness.PYTHON).parent / "gunicorn", "config.wsgi:application", our_env,
                                        args, log)
        servers.append(our_server)
        hd_server, hd_port = gunicorn(python.parent / "gunicorn", "benchmarks.peer.helpdesk_wsgi:application",
                                      helpdesk_env(), args, log)
        servers.append(hd_server)
        harness.wait_for(our_port)
        harness.wait_for(hd_port)
        targets = {
            "bare": (our_port, BARE_URL, ours["token"], None),
            "create": (our_port, CREATE_URL, ours["token"], ours["payload"]),
            # The bare endpoint plus one durable INSERT of the create's text: the ceiling of any create here.
            "bare_insert": (our_port, FLOOR_URL, ours["token"], ours["payload"]),
            "helpdesk_bare": (hd_port, HD_BARE_URL, theirs["token"], None),
            "helpdesk_create": (hd_port, HD_CREATE_URL, theirs["token"], theirs["payload"]),
        }
        runs: dict = {name: [] for name in targets}
        runs["floor_1"], runs["floor_n"] = [], []
        with tempfile.TemporaryDirectory() as scripts:
            for target in targets.values():  # warm-up: imports, connections, prepared statements
                wrk(*target, 2, args.connections, Path(scripts))
            for _round in range(args.rounds):
                for name, target in targets.items():
                    runs[name].append(wrk(*target, args.seconds, args.connections, Path(scripts)))
                runs["floor_1"].append(floor(1, 2))
                runs["floor_n"].append(floor(args.connections, 2))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        log.close()
    return runs, {"ours": ours, "helpdesk": theirs}


def sweep_figures(args, python: Path) -> dict:
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = {size: {"ours": [], "helpdesk": []} for size in sizes}
    for _repeat in range(args.sweep_repeat):
        for size in sizes:
            ours = our_child("--sweep-ours", str(size), db=DB_SWEEP, CELERY_BROKER_URL=args.broker)
            assert ours["escalated"] == ours["overdue"], ours
            theirs = helpdesk_driver(python, "sweep", str(size))
            assert theirs["escalated"] == theirs["overdue"], theirs
            runs[size]["ours"].append(ours)
            runs[size]["helpdesk"].append(theirs)
            print(f"  sweep {size:>7,} open: ours {ours['seconds'] * 1000:8.1f} ms ({ours['notices']} notices), "
                  f"helpdesk {theirs['seconds'] * 1000:8.1f} ms ({theirs['mails']} mails)", flush=True)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sweep-repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--venv", default="/tmp/sanfang-peer-venv")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="the databases of an earlier run with --keep")
    parser.add_argument("--probe-ours", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sweep-ours", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe_ours:
        run_our_probe()
        return 0
    if args.sweep_ours:
        run_our_sweep(args.sweep_ours)
        return 0
    if args.floor:
        run_floor(json.loads(args.floor))
        return 0
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (Debian package)")

    Path(harness.VAR_DIR).mkdir(parents=True, exist_ok=True)
    python = ensure_venv(Path(args.venv))
    print(f"# peer benchmark (django-helpdesk) — {time.strftime('%Y-%m-%d %H:%M %Z')} — {harness.machine()}")
    load = [round(os.getloadavg()[0], 2)]
    if not args.reuse:
        for db in (DB, DB_SWEEP, DB_HELPDESK):
            harness.recreate(db)
        harness.manage(DB, "migrate", "--no-input", "-v0")
        harness.manage(DB, "seed_demo", "--scale", "small")
        harness.psql("VACUUM ANALYZE", DB)
        harness.manage(DB_SWEEP, "migrate", "--no-input", "-v0")
        subprocess.run([str(python.parent / "django-admin"), "migrate", "-v0"], cwd=ROOT, env=helpdesk_env(),
                       check=True)
    ok = True
    try:
        if not args.skip_http:
            load.append(round(os.getloadavg()[0], 2))
            runs, _probe = http_figures(args, python)
            load.append(round(os.getloadavg()[0], 2))
            ok &= report_http(args, runs, load)
        if not args.skip_sweep:
            before = round(os.getloadavg()[0], 2)
            sweeps = sweep_figures(args, python)
            ok &= report_sweep(sweeps, [before, round(os.getloadavg()[0], 2)])
    finally:
        if not args.keep:
            for db in (DB, DB_SWEEP, DB_HELPDESK):
                harness.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    print("\nall goals met" if ok else "\nGOAL MISSED")
    return 0 if ok else 1


def report_http(args, runs: dict, load: list) -> bool:
    threads = f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    print(f"\nHTTP: gunicorn {args.worker_class}, {args.workers} workers{threads} each, CONN_MAX_AGE=60; wrk -t1 -c{args.connections} "
          f"-d{args.seconds}s per target, {args.rounds} interleaved rounds; load average (1 min) "
          f"{' / '.join(map(str, load))}")
    print(f"{'target':16} {'req/s (median of rounds)':>25} {'p50 ms':>8} {'p99 ms':>8}   rounds req/s")
    rps = {}
    for name, rounds in runs.items():
        if name.startswith("floor"):
            continue
        rps[name] = statistics.median(r["rps"] for r in rounds)
        p50 = statistics.median(r["p50_ms"] for r in rounds)
        p99 = statistics.median(r["p99_ms"] for r in rounds)
        print(f"{name:16} {rps[name]:>25.0f} {p50:>8.2f} {p99:>8.2f}   "
              + " ".join(f"{r['rps']:.0f}" for r in rounds))
    # Per round too: the ratios of one round are measured seconds apart, so drift of the machine cancels out.
    vs_helpdesk = [o["rps"] / h["rps"] for o, h in zip(runs["create"], runs["helpdesk_create"], strict=True)]
    share = [c["rps"] / b["rps"] for c, b in zip(runs["create"], runs["bare"], strict=True)]
    hd_share = [c["rps"] / b["rps"] for c, b in zip(runs["helpdesk_create"], runs["helpdesk_bare"], strict=True)]
    a, b = statistics.median(vs_helpdesk), statistics.median(share)
    print(f"\ncreate / helpdesk create:   {a:5.2f}×  (rounds {', '.join(f'{v:.2f}' for v in vs_helpdesk)}; "
          f"goal ≥ {GOAL_VS_HELPDESK:.0f}×) {'ok' if a >= GOAL_VS_HELPDESK else 'MISSED'}")
    print(f"create / our bare endpoint: {b:5.0%}   (rounds {', '.join(f'{v:.0%}' for v in share)}; "
          f"goal ≥ {GOAL_SHARE:.0%}) {'ok' if b >= GOAL_SHARE else 'MISSED'}")
    f1 = statistics.median(r["rps"] for r in runs["floor_1"])
    fn = statistics.median(r["rps"] for r in runs["floor_n"])
    print(f"\nfloor, one-row INSERT + COMMIT (fdatasync): 1 connection {f1:.0f}/s, p50 "
          f"{statistics.median(r['p50_ms'] for r in runs['floor_1']):.2f} ms; {args.connections} connections "
          f"{fn:.0f}/s, p50 {statistics.median(r['p50_ms'] for r in runs['floor_n']):.2f} ms "
          f"(group commit); the create runs at {rps['create'] / fn:.0%} of the {args.connections}-connection floor")
    ceiling = [f["rps"] / b["rps"] for f, b in zip(runs["bare_insert"], runs["bare"], strict=True)]
    of_ceiling = [c["rps"] / f["rps"] for c, f in zip(runs["create"], runs["bare_insert"], strict=True)]
    print(f"floor over HTTP, the bare endpoint + one durable INSERT (`{FLOOR_URL}`): "
          f"{statistics.median(ceiling):.0%} of the bare endpoint (rounds {', '.join(f'{v:.0%}' for v in ceiling)}): "
          f"the most any durable create reaches on this stack; the create runs at "
          f"{statistics.median(of_ceiling):.0%} of it")
    print(f"(helpdesk's create / its bare endpoint: {statistics.median(hd_share):.0%}; the two bare endpoints: "
          f"ours / helpdesk's {rps['bare'] / rps['helpdesk_bare']:.2f}×)")
    return a >= GOAL_VS_HELPDESK and b >= GOAL_SHARE


def report_sweep(sweeps: dict, load: list) -> bool:
    print(f"\nSWEEP in-process, best of the repeats; load average (1 min) {' / '.join(map(str, load))}")
    print(f"{'open':>8} {'overdue':>8} {'ours ms':>9} {'per item':>9} {'notices':>8} {'helpdesk ms':>12} "
          f"{'per item':>9} {'mails':>6} {'ours / helpdesk':>16}")
    ok = True
    for size, runs in sweeps.items():
        ours = min(runs["ours"], key=lambda r: r["seconds"])
        theirs = min(runs["helpdesk"], key=lambda r: r["seconds"])
        ratio = (ours["seconds"] / ours["escalated"]) / (theirs["seconds"] / theirs["escalated"])
        ok &= ratio <= GOAL_SWEEP
        print(f"{size:>8,} {ours['overdue']:>8,} {ours['seconds'] * 1000:>9.1f} "
              f"{ours['seconds'] / ours['escalated'] * 1000:>7.2f}ms {ours['notices']:>8} "
              f"{theirs['seconds'] * 1000:>12.1f} {theirs['seconds'] / theirs['escalated'] * 1000:>7.2f}ms "
              f"{theirs['mails']:>6} {ratio:>15.2f}× {'ok' if ratio <= GOAL_SWEEP else 'MISSED'}")
    print(f"(goal: ours per escalated item ≤ {GOAL_SWEEP:.2f}× helpdesk's, notices included)")
    return ok


if __name__ == "__main__":
    sys.exit(main())
