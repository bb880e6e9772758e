import datetime

import pytest
from django.utils import timezone

from communities.models import RoleAssignment
from properties.models import Contract
from rankings import services
from rankings.models import FirmResult, Period, Placement


@pytest.fixture
def place(users):
    """The demo's compound of the commissioner, its community, street and district, and its firm's contract."""
    compound = RoleAssignment.objects.get(user=users["commissioner"]).compound
    contract = Contract.objects.get(compound=compound, status=Contract.Status.ACTIVE)
    return {"compound": compound, "contract": contract, "firm_id": contract.firm_id,
            "district": compound.community.street.district}


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@pytest.fixture
def period(users, place):
    """A quarter within the demo contract's term."""
    year, quarter = quarter_of(place["contract"].starts_on + datetime.timedelta(days=200))
    return services.period_open(actor=users["district_center"], district=place["district"], year=year,
                                quarter=quarter)


def make_period(users, district, year, quarter) -> Period:
    return services.period_open(actor=users["district_center"], district=district, year=year, quarter=quarter)


def black_in(users, district, firm_id, year, quarter) -> Period:
    """A published quarter in which `firm_id` is black-listed, with its consequences drawn."""
    period = make_period(users, district, year, quarter)
    services.period_compute(period=period)
    FirmResult.objects.filter(period=period, firm_id=firm_id).update(placement=Placement.BLACK)
    Period.objects.filter(pk=period.pk).update(status=Period.Status.PUBLISHED, published_at=timezone.now())
    period.refresh_from_db()
    services._consequences(period)
    return period


@pytest.fixture
def clean_slate(db):
    """Without the demo's quarters, stars and exits (inside the test's transaction): the test makes its own."""
    from rankings.models import ExitCase, Stars

    Period.objects.all().delete()
    Stars.objects.all().delete()
    ExitCase.objects.all().delete()
    Contract.objects.update(may_end_early_since=None)


@pytest.fixture
def quarter_open(users):
    """Today's quarter open for answers in the demo resident's district. The demo opens the quarter it was seeded
    in; a run that crosses midnight at the end of a quarter (local time) tests in the next one, which nobody has
    opened yet."""
    from communities.scope import scope_for

    household = next(iter(scope_for(users["resident"]).residencies)).household
    year, quarter = quarter_of(timezone.localdate())
    if not Period.objects.filter(district_id=household.district_id, year=year, quarter=quarter).exists():
        services.period_open(actor=users["district_center"], district=household.district, year=year,
                             quarter=quarter)
    return household
