"""Review findings on issue 9: publishing a list with an exit already open, the takeover by a street, exits
dropped with a reason, and the veto only for a firm that served the compound."""

import datetime

import pytest
from django.utils import timezone

from properties.models import Contract
from rankings import services, takeover
from rankings.models import ExitCase, FirmResult, Period, Placement
from tests.rankings.conftest import make_period


@pytest.fixture(autouse=True)
def _own_quarters(clean_slate):
    """These tests make their own quarters."""


def _black_in(users, district, firm_id, year, quarter):
    period = make_period(users, district, year, quarter)
    services.period_compute(period=period)
    FirmResult.objects.filter(period=period, firm_id=firm_id).update(placement=Placement.BLACK)
    Period.objects.filter(pk=period.pk).update(status=Period.Status.PUBLISHED, published_at=timezone.now())
    period.refresh_from_db()
    services._consequences(period)
    return period


@pytest.mark.django_db
def test_a_second_strike_with_an_exit_already_open_keeps_the_one_exit(users, place):
    # given an exit the owners opened by hand, and a first black listing in the contract's term
    contract = place["contract"]
    Contract.objects.filter(pk=contract.pk).update(starts_on=datetime.date(2024, 1, 1),
                                                   ends_on=datetime.date(2026, 12, 31))
    contract.refresh_from_db()
    case = takeover.exit_open(actor=users["district_center"], contract=contract, reason=ExitCase.Reason.OWNERS)
    _black_in(users, place["district"], place["firm_id"], 2024, 2)
    # when the second listing is published (and published again, as an upheld appeal does)
    _black_in(users, place["district"], place["firm_id"], 2025, 3)
    services._consequences(Period.objects.get(district=place["district"], year=2025, quarter=3))
    # then the contract is flagged and the exit already open is the only one
    contract.refresh_from_db()
    assert contract.may_end_early_since is not None
    assert list(ExitCase.objects.filter(contract=contract).values_list("pk", flat=True)) == [case.pk]

