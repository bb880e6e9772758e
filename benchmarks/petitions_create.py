#!/usr/bin/env python
"""Benchmark: petition-create API throughput as a ratio to the bare authenticated DRF endpoint, same run.

Run on demand: `.venv/bin/python benchmarks/petitions_create.py [--requests 400] [--rounds 3]`. Uses its own
PostgreSQL database `bench_petitions_create` (BENCH_PG, default postgres://postgres@127.0.0.1:5432), seeded with
the small demo. Requests go through the whole WSGI stack (middleware, token authentication, DRF) in one process,
one after another, alternating targets in rounds so that drift of the shared machine hits both alike: the figure
is the ratio, never the absolute rate. (No second process: the ratio of two in-process rates is what the goal
names; the compounds benchmark shows the loopback set-up.) Goal: create ≥ 40% of the bare endpoint's rate.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = "bench_petitions_create"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "DATABASE_URL": f"{PG}/{DB}",
           "VAR_DIR": "/tmp/sanfang-bench-petitions", "CONN_MAX_AGE": "60", "PGOPTIONS": "-c client_min_messages=warning"}
    if not args.reuse:
        for sql in (f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", f"CREATE DATABASE {DB}"):
            subprocess.run(["psql", "-q", f"{PG}/postgres", "-c", sql], check=True, env=env)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=env)
        subprocess.run([sys.executable, "manage.py", "seed_demo", "--scale", "small"], cwd=ROOT, check=True,
                       env=env, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import override_settings
    from django.urls import include, path
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from benchmarks.urls import urlpatterns as bench_urls
    from petitions.models import Category

    urlconf = type(sys)("petitions_bench_urls")
    urlconf.urlpatterns = [*bench_urls, path("api/v1/petitions/", include("petitions.api.urls"))]
    sys.modules["petitions_bench_urls"] = urlconf

    user = get_user_model().objects.get(username="resident")
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    category = Category.objects.filter(district__code="zhenhai", code="repair").first()
    payload = {"category": category.pk, "description": "基准测试：楼道灯不亮"}

    def bare():
        assert client.get("/bench/bare/").status_code == 200

    def create():
        response = client.post("/api/v1/petitions/", payload, format="json")
        assert response.status_code == 201, response.content

    rates = {"bare": [], "create": []}
    with override_settings(ROOT_URLCONF="petitions_bench_urls"):
        for fn in (bare, create):
            for _ in range(20):
                fn()
        for _ in range(args.rounds):
            for name, fn in (("bare", bare), ("create", create)):
                started = time.perf_counter()
                for _ in range(args.requests):
                    fn()
                rates[name].append(args.requests / (time.perf_counter() - started))
    bare_rate, create_rate = max(rates["bare"]), max(rates["create"])
    print(f"bare endpoint: {bare_rate:.0f} req/s; petition create: {create_rate:.0f} req/s")
    print(f"create / bare: {create_rate / bare_rate:.0%} (goal ≥ 40%)")


if __name__ == "__main__":
    main()
