"""seed_demo is deterministic for a seed and refuses to seed over existing data."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent

FINGERPRINT = """
import json
from communities.models import Compound, Household, Person
from petitions.models import Petition
print(json.dumps({
    "compounds": list(Compound.objects.order_by("pk").values_list("name", "management_mode", "household_count")),
    "areas": [str(a) for a in Household.objects.order_by("pk").values_list("floor_area", flat=True)[:200]],
    "people": list(Person.objects.order_by("pk").values_list("name", flat=True)[:200]),
    "petitions": list(Petition.objects.order_by("pk").values_list("status", "level", "source")[:200]),
}))
"""


def _seed_and_fingerprint(tmp_path: Path, seed: int) -> dict:
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CELERY_BROKER_URL": "memory://"}
    env.pop("REDIS_URL", None)

    def manage(*args, **kw):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True, **kw)

    manage("migrate", "-v0")
    manage("seed_demo", "--seed", str(seed))
    return json.loads(manage("shell", "-c", FINGERPRINT).stdout.strip().splitlines()[-1])


def test_the_same_seed_gives_the_same_demo_and_another_seed_another(tmp_path):
    first = _seed_and_fingerprint(tmp_path / "a", 7)
    again = _seed_and_fingerprint(tmp_path / "b", 7)
    other = _seed_and_fingerprint(tmp_path / "c", 8)
    assert first == again
    assert first["compounds"] != other["compounds"]
    assert len(first["compounds"]) == 24 and first["petitions"]


@pytest.mark.django_db
def test_seeding_over_existing_data_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.postgres
def test_the_demo_command_seeds_a_fresh_postgresql_database(tmp_path):
    """`seed_demo` runs every seeder in one transaction, unlike the test database's setup (one seeder after
    another): on PostgreSQL the set-based seeders then meet the earlier seeders' deferred checks (a foreign key
    cannot be dropped while they wait), which only the command itself shows."""
    import psycopg2
    from django.db import connection

    base = connection.settings_dict
    name = f"{base['NAME']}_seed_command"
    admin = psycopg2.connect(dbname="postgres", user=base["USER"], host=base["HOST"], port=base["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "VAR_DIR": str(tmp_path), "CELERY_BROKER_URL": "memory://",
               "DATABASE_URL": f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}/{name}"}
        env.pop("REDIS_URL", None)
        for args in (("migrate", "-v0"), ("seed_demo", "--scale", "small")):
            done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                  text=True)
            assert done.returncode == 0, done.stderr[-2000:]
        assert "district_org" in done.stdout
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.parametrize("year", [2026, 2028, 2031])
def test_the_demo_s_contracts_and_committees_are_dated_from_the_year_it_is_seeded_in(year):
    """Contracts and owners' committees are dated back from the seeding year, not in fixed years: seeded in 2028 a
    demo with fixed years had no committee formed since the campaign start (three years back) and no contract
    serving the latest quarters (their three-year terms had all ended)."""
    import datetime
    import random

    from governance.demo import formed_on
    from properties.demo import contract_start

    rng = random.Random(year)
    starts = [contract_start(rng, year) for _ in range(300)]
    formed = [formed_on(rng, year) for _ in range(300)]
    assert {d.year for d in starts} == set(range(year - 6, year - 1))
    assert {d.year for d in formed} == set(range(year - 7, year - 1))
    new_year = datetime.date(year, 1, 1)
    assert any(d.replace(year=d.year + 3) > new_year for d in starts)  # contracts still running this year
    assert any(d >= datetime.date(year - 3, 1, 1) for d in formed)  # committees formed since the campaign start
    terms_end = [d.replace(year=d.year + 5) for d in formed]
    assert any(end < new_year for end in terms_end) and any(end.year > year for end in terms_end)


def test_seeded_in_2026_the_demo_s_dates_are_those_of_the_fixed_years_before():
    """The same draws as the fixed years 2020-2024 and 2019-2024 gave, so the demo seeded today is unchanged."""
    import datetime
    import random

    from governance.demo import formed_on
    from properties.demo import contract_start

    new, old = random.Random(3), random.Random(3)
    assert [contract_start(new, 2026) for _ in range(50)] == [
        datetime.date(2020 + old.randrange(5), old.randrange(1, 13), 1) for _ in range(50)]
    assert [formed_on(new, 2026) for _ in range(50)] == [
        datetime.date(old.randrange(2019, 2025), old.randrange(1, 13), 1) for _ in range(50)]
