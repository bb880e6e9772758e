"""Races on PostgreSQL: payments against one fund at the same moment never overdraw it.

Each thread has its own database connection outside the test's transaction, so the setup and the race commit;
the clean-up removes the committed rows in replica mode (the ledger's triggers forbid deleting entries)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from core.errors import DomainError
from ledger import services
from ledger.models import Account, AccountKind, FundApplication, Leg, Transaction
from ledger.selectors import balance_differences

from .conftest import households_of, make_compound, passed_vote

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
DAY = datetime.date(2026, 3, 15)


def in_threads(*calls):
    """Runs the calls at the same moment, each in its own thread and connection; returns results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            try:
                results[i] = fn()
            except (DomainError, IntegrityError) as exc:
                results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def committed_compound(users, demo_compound):
    """A compound with a 1000-yuan fund in one household, committed; removed with its books afterwards."""
    def make():
        compound = make_compound(demo_compound.community, areas=(Decimal("100.00"),), name="Race Court")
        services.fund_deposit(actor=users["district_center"], household=households_of(compound)[0],
                              amount="1000", posted_on=DAY)
        return compound

    [compound] = in_threads(make)
    yield compound

    def clean():
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            try:
                for table, where in (
                    ("ledger_leg", "account_id IN (SELECT id FROM ledger_account WHERE compound_id = %s)"),
                    ("ledger_shortfall", "compound_id = %s"),
                    ("ledger_transaction", "compound_id = %s"),
                    ("notifications_notification", "target_kind = 'ledger.fund_application' AND target_id IN "
                                                   "(SELECT id FROM ledger_fundapplication WHERE compound_id = %s)"),
                    ("ledger_fundreview", "application_id IN (SELECT id FROM ledger_fundapplication "
                                          "WHERE compound_id = %s)"),
                    ("ledger_funddocument", "application_id IN (SELECT id FROM ledger_fundapplication "
                                            "WHERE compound_id = %s)"),
                    ("ledger_fundapplication_buildings", "fundapplication_id IN (SELECT id FROM "
                                                         "ledger_fundapplication WHERE compound_id = %s)"),
                    ("ledger_fundapplication", "compound_id = %s"),
                    ("ledger_account", "compound_id = %s"),
                    ("ledger_period", "compound_id = %s"),
                    ("governance_vote", "compound_id = %s"),
                    ("governance_agendaitem", "compound_id = %s"),
                    ("governance_meeting", "compound_id = %s"),
                    ("communities_household", "compound_id = %s"),
                    ("communities_building", "compound_id = %s"),
                    ("communities_compound", "id = %s"),
                ):
                    cursor.execute(f"DELETE FROM {table} WHERE {where}", [compound.pk])  # noqa: S608
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")

    in_threads(clean)


def _accepted_application(users, compound, amount):
    application = services.fund_application_submit(
        actor=users["community_office"], compound=compound, project="Lift", amount=amount, contractor="C",
        buildings=[households_of(compound)[0].building], applicant="community", decision=passed_vote(compound))
    for login, level in (("community_office", "community"), ("street_office", "street"),
                         ("district_center", "center")):
        services.fund_application_review(actor=users[login], application=application, level=level, approve=True,
                                         opinion="ok")
    services.fund_document_add(actor=users["community_office"], application=application, kind="acceptance_photo",
                               file=ContentFile(b"x", name="p.jpg"))
    return services.fund_application_accept(actor=users["community_office"], application=application, note="ok")


def test_two_payments_at_once_never_overdraw_the_fund(users, committed_compound):
    # given two accepted works of 700 yuan each against a household holding 1000
    [first, second] = in_threads(lambda: _accepted_application(users, committed_compound, "700"),
                                 lambda: _accepted_application(users, committed_compound, "700"))
    # when both are paid at the same moment
    in_threads(lambda: services.fund_disburse(actor=users["district_center"], application=first, posted_on=DAY),
               lambda: services.fund_disburse(actor=users["district_center"], application=second, posted_on=DAY))

    # then together they took exactly the 1000 there was, and the rest is owed as a top-up
    def figures():
        apps = FundApplication.objects.filter(pk__in=[first.pk, second.pk])
        return (sorted(a.disbursed for a in apps),
                Account.objects.get(compound=committed_compound, kind=AccountKind.HOUSEHOLD_FUND).balance,
                Account.objects.get(compound=committed_compound, kind=AccountKind.FUND_BANK).balance,
                balance_differences(Account.objects.filter(compound=committed_compound)))

    [(disbursed, household, bank, differences)] = in_threads(figures)
    assert disbursed == [Decimal("300.00"), Decimal("700.00")]
    assert (household, bank, differences) == (Decimal("0.00"), Decimal("0.00"), [])


def test_the_database_refuses_the_second_overdraft_when_python_checks_are_bypassed(users, committed_compound):
    """Two raw postings of 600 each, each fine alone: the row lock and the CHECK let one through."""
    barrier = threading.Barrier(2)

    def raw_payment():
        with transaction.atomic():
            household = Account.objects.get(compound=committed_compound, kind=AccountKind.HOUSEHOLD_FUND)
            bank = Account.objects.get(compound=committed_compound, kind=AccountKind.FUND_BANK)
            # Both read 1000 before either writes: the Python check cannot see the other payment.
            assert household.balance == Decimal("1000.00")
            barrier.wait()
            txn = Transaction.objects.create(
                district_id=committed_compound.district_id, compound=committed_compound,
                period_id=Leg.objects.filter(account=bank).values_list("transaction__period_id", flat=True)[0],
                kind="disbursement", posted_on=DAY)
            Leg.objects.bulk_create([Leg(transaction=txn, account=household, amount=Decimal("600")),
                                     Leg(transaction=txn, account=bank, amount=Decimal("-600"))])
        return "ok"

    outcomes = in_threads(raw_payment, raw_payment)
    assert sorted(map(str, outcomes))[-1] == "ok"
    assert isinstance(next(o for o in outcomes if o != "ok"), IntegrityError)
    [balance] = in_threads(lambda: Account.objects.get(compound=committed_compound,
                                                       kind=AccountKind.HOUSEHOLD_FUND).balance)
    assert balance == Decimal("400.00")


def test_a_committed_transaction_takes_no_more_legs(users, committed_compound):
    def add_leg():
        with transaction.atomic():
            txn = Transaction.objects.filter(compound=committed_compound).first()
            bank = Account.objects.get(compound=committed_compound, kind=AccountKind.FUND_BANK)
            household = Account.objects.get(compound=committed_compound, kind=AccountKind.HOUSEHOLD_FUND)
            Leg.objects.bulk_create([Leg(transaction=txn, account=bank, amount=Decimal("5")),
                                     Leg(transaction=txn, account=household, amount=Decimal("-5"))])

    [outcome] = in_threads(add_leg)
    assert isinstance(outcome, IntegrityError) and "while their transaction is posted" in str(outcome)



def test_two_reversals_of_one_transaction_at_once_answer_a_refusal_not_a_database_error(users, committed_compound):
    # given a committed top-up the household's fund could give back twice over
    household = households_of(committed_compound)[0]
    [top_up] = in_threads(lambda: services.fund_deposit(actor=users["district_center"], household=household,
                                                        amount="100", posted_on=DAY))

    def reverse():
        with translation.override("en"):
            return services.transaction_reverse(actor=users["district_center"], transaction_=top_up, memo="twice",
                                                posted_on=DAY)

    # when two reversals of it are asked at the same moment
    outcomes = in_threads(reverse, reverse)
    # then one reverses it and the other is told it is reversed already
    assert sorted(type(o).__name__ for o in outcomes) == ["DomainError", "Transaction"], outcomes
    assert "reversed already" in next(o for o in outcomes if isinstance(o, DomainError)).message
    [balance] = in_threads(lambda: Account.objects.get(compound=committed_compound,
                                                       kind=AccountKind.HOUSEHOLD_FUND).balance)
    assert balance == Decimal("1000.00")
