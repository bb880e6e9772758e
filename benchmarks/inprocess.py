"""The database of an in-process benchmark (the sweep, the firm evaluation, the ledger's pages, the petition
figures): its own PostgreSQL database, dropped, created and migrated, and Django set up on it with the test
settings. `BENCH_PG` points at another server."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def setup_django(db: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ.setdefault("VAR_DIR", f"/tmp/sanfang-{db.replace('_', '-')}")
    import django

    django.setup()


def recreate(db: str) -> None:
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    for sql in (f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", f"CREATE DATABASE {db}"):
        subprocess.run(["psql", "-q", f"{PG}/postgres", "-c", sql], check=True, env=env)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": f"{PG}/{db}"})
