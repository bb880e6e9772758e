"""Shared fixtures: the small demo (two districts, two streets each, a login per role) is seeded once per
session; every test runs in a transaction that is rolled back."""

import datetime
import os
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from communities.demo import DemoContext

PASSWORD = "demo-pass-2026"
ROLE_LOGINS = [
    "district_org", "district_center", "street_office", "street_office_2", "community_office", "commissioner",
    "committee_member", "firm_staff", "department_staff", "resident", "resident_2", "district_org_b",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.conf import settings
    from django.utils.module_loading import import_string

    with django_db_blocker.unblock():
        ctx = DemoContext(scale="small", rng=random.Random(2026), password=PASSWORD)
        started = timezone.localdate()
        for dotted in settings.DEMO_SEEDERS:
            import_string(dotted)(ctx)
        DEMO.update(seeded=(started, timezone.localdate()), ledger_month=_ledger_month())
    yield


# The demo's dates are relative to the day it was seeded (ledger.demo.fee_months and the like), and a run that
# crosses midnight at the end of a month seeds in one month and tests in the next: tests that need the demo's
# months read them from here, not from the clock. Filled in once the demo is seeded.
DEMO: dict = {}


def _ledger_month() -> datetime.date:
    """The first day of the month the ledger's demo counts from: the month after its last fee month."""
    from ledger.models import FeeBill

    year, month = FeeBill.objects.order_by("-year", "-month").values_list("year", "month").first()
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are skipped, with the reason, where the database is not PostgreSQL; CI sets
    REQUIRE_POSTGRES=1 so that nothing is skipped there."""
    uses_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if uses_postgres:
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL.")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def users(db):
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=ROLE_LOGINS + ["admin"])}


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def resident(client, users):
    """The test client logged in (by session, as in the portal) as the demo resident."""
    client.force_login(users["resident"])
    return client


@pytest.fixture
def as_user(users):
    """An API client logged in as one of the demo logins."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return make


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def seed_call():
    return call_command


@pytest.fixture(autouse=True)
def _celery_join_guard_reset():
    """Eager Celery (the test settings) guards joins with one process-wide flag that each eager task sets and
    restores around itself; tasks run by two threads at once (the concurrency tests) can leave it set, and every
    later `.get()` in the process would refuse ("Never call result.get() within a task"). Reset after each test."""
    yield
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
