import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from communities.demo import first_compound
from communities.models import Building, Compound, District, Household
from governance.models import AgendaItem, Meeting, Vote


@pytest.fixture(autouse=True)
def english():
    """The services' messages are asserted in English; the platform speaks Chinese by default."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo_compound(db):
    """The compound of the demo resident, commissioner and committee member (community of `community_office`)."""
    return first_compound(District.objects.order_by("pk").first(), 0)


def make_compound(community, *, areas=(Decimal("89.50"), Decimal("120.00"), Decimal("65.25")), name="Ledger Court"):
    """A compound of one building with households of the given floor areas, in `community`."""
    compound = Compound.objects.create(community=community, name=name)
    building = Building.objects.create(compound=compound, name="1")
    for i, area in enumerate(areas, start=1):
        Household.objects.create(building=building, room=f"{i:03d}", floor_area=area)
    return compound


@pytest.fixture
def fund_compound(demo_compound):
    """A fresh compound beside the demo one (same community, street and district), three households."""
    return make_compound(demo_compound.community)


def households_of(compound):
    return list(Household.objects.filter(compound=compound).order_by("pk"))


def passed_vote(compound, rule="civil_code_ordinary", result=Vote.Result.PASSED):
    """A closed vote of the compound with the given rule and result (the tally itself is governance's)."""
    now = timezone.now()
    meeting = Meeting.objects.create(compound=compound, kind=Meeting.Kind.OWNERS_ASSEMBLY, title="Assembly",
                                     held_at=now)
    item = AgendaItem.objects.create(meeting=meeting, title="Use the fund for the lift")
    return Vote.objects.create(item=item, rule=rule, status=Vote.Status.CLOSED, result=result,
                               opened_at=now - datetime.timedelta(days=8), deadline=now - datetime.timedelta(days=1),
                               closed_at=now)


def check_deferred():
    """Runs the deferred constraint triggers now (the test's transaction never commits)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def first_compound_of(user):
    """The compound of the user's first household."""
    return Household.objects.filter(residencies__person__user=user).order_by("pk").first().compound


# The demo's ledger is relative to the day it was seeded (ledger.demo.fee_months): it bills and publishes the
# twelve months before that day's month and closes the books up to the last of them. Tests that post into the demo
# compound take their months from here, so that they hold whatever the date, and when the run crosses midnight at
# the end of a month (the demo seeded in one month, the test run in the next).

def demo_month() -> datetime.date:
    """The first day of the month the demo was seeded in (read from its bills once seeded, never the clock)."""
    from tests.conftest import DEMO

    return DEMO["ledger_month"]


def month_start(offset: int = 0) -> datetime.date:
    """The first day of the demo's month, `offset` months on: that month and the later ones are open, unbilled
    and unpublished in the demo."""
    month = demo_month()
    index = month.year * 12 + month.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def demo_last_month() -> datetime.date:
    """The demo's last fee month: over, billed and published, and still open (not closed yet)."""
    from ledger.demo import fee_months

    return datetime.date(*fee_months(demo_month())[-1], 1)


def before_the_demo() -> datetime.date:
    """The month before the demo's first fee month: over, closed, and without a statement."""
    return month_start(-14)


def join_committee(user, compound):
    """Makes the committee member one of `compound`'s too (a fresh compound has no committee); returns the user
    read again, so that their scope is recomputed."""
    from guardian.shortcuts import assign_perm

    from communities.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role="committee_member", compound=compound,
                                  district_id=compound.district_id)
    assign_perm("communities.access_compound", user, compound)
    return type(user).objects.get(pk=user.pk)
