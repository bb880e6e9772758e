"""PostgreSQL keeps the ledger's rules whatever door a write comes through: these tests go around the services."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from ledger import services
from ledger.models import Account, AccountKind, Leg, Period, Transaction
from ledger.posting import compound_account, household_accounts, open_period

from .conftest import check_deferred, households_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def posted(users, fund_compound):
    """One committed-in-test deposit of 100 yuan."""
    household = households_of(fund_compound)[0]
    return services.fund_deposit(actor=users["district_center"], household=household, amount="100", posted_on=DAY)


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _raw_transaction(compound, legs):
    txn = Transaction.objects.create(district_id=compound.district_id, compound=compound,
                                     period=open_period(compound, DAY), kind="deposit", posted_on=DAY)
    Leg.objects.bulk_create([Leg(transaction=txn, account=a, amount=Decimal(x)) for a, x in legs])
    return txn


def test_an_unbalanced_transaction_is_refused_at_commit(fund_compound):
    household = households_of(fund_compound)[0]
    bank = compound_account(fund_compound, AccountKind.FUND_BANK)
    account = household_accounts([household], AccountKind.HOUSEHOLD_FUND)[household.pk]
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        _raw_transaction(fund_compound, [(bank, "100.00"), (account, "-99.99")])
        check_deferred()


def test_a_transaction_without_legs_is_refused_at_commit(fund_compound):
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        _raw_transaction(fund_compound, [])
        check_deferred()


def test_posted_transactions_and_legs_cannot_be_changed_or_deleted(posted):
    leg = posted.legs.first()
    for statement in (lambda: Leg.objects.filter(pk=leg.pk).update(amount=Decimal("1")),
                      lambda: Leg.objects.filter(pk=leg.pk).delete(),
                      lambda: Transaction.objects.filter(pk=posted.pk).update(memo="changed"),
                      lambda: _sql("DELETE FROM ledger_transaction WHERE id = %s", [posted.pk])):
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
            statement()


def test_a_balance_changes_only_by_posting_legs(posted):
    account = Account.objects.get(compound=posted.compound, kind=AccountKind.FUND_BANK)
    assert account.balance == Decimal("100.00")
    with pytest.raises(IntegrityError, match="only by posting"), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=Decimal("1000000"))


def test_a_fund_never_goes_negative_even_around_the_services(posted):
    bank = Account.objects.get(compound=posted.compound, kind=AccountKind.FUND_BANK)
    household = Account.objects.get(compound=posted.compound, kind=AccountKind.HOUSEHOLD_FUND)
    with pytest.raises(IntegrityError, match="account_balance_not_negative"), transaction.atomic():
        _raw_transaction(posted.compound, [(household, "100.01"), (bank, "-100.01")])


def test_a_leg_on_another_compounds_account_is_refused(posted, demo_compound):
    foreign = compound_account(demo_compound, AccountKind.COMMON_BANK)
    own = Account.objects.get(compound=posted.compound, kind=AccountKind.FUND_BANK)
    with pytest.raises(IntegrityError, match="another compound"), transaction.atomic():
        _raw_transaction(posted.compound, [(foreign, "5"), (own, "-5")])


def test_a_closed_period_refuses_postings_and_never_reopens(users, posted):
    period = Period.objects.get(pk=posted.period_id)
    services.period_close(actor=users["district_center"], compound=posted.compound, year=2026, month=3,
                          today=datetime.date(2026, 4, 1))
    bank = Account.objects.get(compound=posted.compound, kind=AccountKind.FUND_BANK)
    household = Account.objects.get(compound=posted.compound, kind=AccountKind.HOUSEHOLD_FUND)
    with pytest.raises(IntegrityError, match="closed"), transaction.atomic():
        txn = Transaction(district_id=posted.district_id, compound=posted.compound, period=period, kind="deposit",
                          posted_on=DAY)
        txn.save()
        Leg.objects.bulk_create([Leg(transaction=txn, account=bank, amount=1), Leg(transaction=txn,
                                                                                    account=household, amount=-1)])
    with pytest.raises(IntegrityError, match="closed for good"), transaction.atomic():
        Period.objects.filter(pk=period.pk).update(status="open", closed_at=None)


def test_a_reversal_must_mirror_its_original(users, posted):
    bank = Account.objects.get(compound=posted.compound, kind=AccountKind.FUND_BANK)
    household = Account.objects.get(compound=posted.compound, kind=AccountKind.HOUSEHOLD_FUND)
    with pytest.raises(IntegrityError, match="does not mirror"), transaction.atomic():
        txn = Transaction.objects.create(district_id=posted.district_id, compound=posted.compound,
                                         period=open_period(posted.compound, DAY), kind="reversal",
                                         posted_on=DAY, reverses=posted)
        Leg.objects.bulk_create([Leg(transaction=txn, account=household, amount=Decimal("50")),
                                 Leg(transaction=txn, account=bank, amount=Decimal("-50"))])
        check_deferred()
    assert connection.vendor == "postgresql"
