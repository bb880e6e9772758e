"""A hypothesis state machine over the ledger's operations — deposit, interest, apportion and pay, reverse,
close a month — checking after every step that each transaction balances, each stored balance equals the sum
of its entries (and the model's own arithmetic), nothing is negative, and posted entries stay immutable."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from communities.models import Community
from core.errors import DomainError
from ledger import services
from ledger.models import Account, AccountKind, FundApplication, Leg, Transaction
from ledger.selectors import balance_differences, unbalanced_transactions

from .conftest import check_deferred, households_of, make_compound, passed_vote

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
areas = st.lists(st.decimals(min_value=Decimal("20"), max_value=Decimal("300"), places=2), min_size=1, max_size=4)


class LedgerMachine(RuleBasedStateMachine):
    """Each example works on a fresh compound inside a savepoint that is rolled back at teardown."""

    @initialize(floor_areas=areas)
    def start(self, floor_areas):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        users = {u.username: u for u in get_user_model().objects.filter(
            username__in=["district_center", "community_office", "street_office"])}
        self.centre, self.community, self.street = (users["district_center"], users["community_office"],
                                                    users["street_office"])
        self.compound = make_compound(Community.objects.get(pk=users_community(self.community)),
                                      areas=floor_areas, name="Hypothesis Court")
        self.households = households_of(self.compound)
        self.day = datetime.date(2026, 1, 10)
        self.model = {h.pk: Decimal(0) for h in self.households}  # the fund per household, as the test sees it
        self.bank = Decimal(0)
        self.posted = []

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def _fund(self, household):
        account = Account.objects.filter(household=household, kind=AccountKind.HOUSEHOLD_FUND).first()
        return account.balance if account else Decimal(0)

    @rule(index=st.integers(min_value=0, max_value=3), amount=amounts)
    def deposit(self, index, amount):
        household = self.households[index % len(self.households)]
        txn = services.fund_deposit(actor=self.centre, household=household, amount=str(amount), posted_on=self.day)
        self.model[household.pk] += amount
        self.bank += amount
        self.posted.append(txn.pk)

    @precondition(lambda self: self.bank > 0)
    @rule(amount=amounts)
    def interest(self, amount):
        txn = services.fund_interest_allocate(actor=self.centre, compound=self.compound, amount=str(amount),
                                              posted_on=self.day)
        for leg in txn.legs.select_related("account"):
            if leg.account.household_id:
                self.model[leg.account.household_id] -= leg.amount
        self.bank += amount
        self.posted.append(txn.pk)

    @rule(amount=amounts)
    def apportion_and_pay(self, amount):
        building = self.households[0].building
        application = services.fund_application_submit(
            actor=self.community, compound=self.compound, project="Works", amount=str(amount), contractor="C",
            buildings=[building], applicant="community", decision=passed_vote(self.compound))
        for actor, level in ((self.community, "community"), (self.street, "street"), (self.centre, "center")):
            services.fund_application_review(actor=actor, application=application, level=level, approve=True,
                                             opinion="ok")
        services.fund_document_add(actor=self.community, application=application, kind="acceptance_photo",
                                   file=ContentFile(b"x", name="p.jpg"))
        services.fund_application_accept(actor=self.community, application=application, note="ok")
        shares = services.cost_shares(application)
        before = dict(self.model)
        txn = services.fund_disburse(actor=self.centre, application=application, posted_on=self.day)
        application.refresh_from_db()
        for pk, share in shares.items():
            self.model[pk] -= min(share, before[pk])
        paid = sum(min(share, before[pk]) for pk, share in shares.items())
        assert application.disbursed == paid
        assert (application.status == FundApplication.Status.PAID) == (paid == amount)
        self.bank -= paid
        if txn is not None:
            self.posted.append(txn.pk)

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reverse(self, data):
        pk = data.draw(st.sampled_from(self.posted))
        original = Transaction.objects.get(pk=pk)
        try:
            with transaction.atomic():
                reversal = services.transaction_reverse(actor=self.centre, transaction_=original, memo="mistake",
                                                        posted_on=self.day)
        except DomainError as exc:
            # Refused only when already reversed, a reversal itself, or undoing it would take a fund below zero.
            assert any(words in exc.message for words in ("reversed already", "not reversed", "Not enough"))
            return
        for leg in reversal.legs.select_related("account"):
            if leg.account.household_id:
                self.model[leg.account.household_id] -= leg.amount
            elif leg.account.kind == AccountKind.FUND_BANK:
                self.bank += leg.amount
        self.posted.append(reversal.pk)

    @rule()
    def close_month(self):
        services.period_close(actor=self.centre, compound=self.compound, year=self.day.year,
                              month=self.day.month, today=self.day.replace(day=28) + datetime.timedelta(days=5))
        closed = self.day
        self.day = (self.day.replace(day=28) + datetime.timedelta(days=5)).replace(day=10)
        with pytest.raises(DomainError), transaction.atomic():
            services.fund_deposit(actor=self.centre, household=self.households[0], amount="1", posted_on=closed)

    @invariant()
    def books_agree(self):
        if not hasattr(self, "atomic"):
            return
        check_deferred()
        assert {h.pk: self._fund(h) for h in self.households} == self.model
        bank = Account.objects.filter(compound=self.compound, kind=AccountKind.FUND_BANK).first()
        assert (bank.balance if bank else Decimal(0)) == self.bank == sum(self.model.values())
        accounts = Account.objects.filter(compound=self.compound)
        assert balance_differences(accounts) == []
        assert unbalanced_transactions(Transaction.objects.filter(compound=self.compound)) == []
        assert not accounts.filter(balance__lt=0).exists()

    @precondition(lambda self: self.posted)
    @invariant()
    def posted_entries_are_immutable(self):
        if connection.vendor != "postgresql":
            return
        leg = Leg.objects.filter(transaction_id=self.posted[-1]).first()
        with pytest.raises(IntegrityError), transaction.atomic():
            Leg.objects.filter(pk=leg.pk).update(amount=leg.amount + 1)


def users_community(user):
    from communities.models import RoleAssignment

    return RoleAssignment.objects.get(user=user, role="community_office").community_id


@pytest.mark.django_db
def test_ledger_operations_keep_the_books_true():
    LedgerMachine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=8, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        # Each step is several database round trips: shrinking a failure would take minutes, and the printed
        # steps of an unshrunk failure are short enough to read.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    with translation.override("en"):
        LedgerMachine.TestCase().runTest()
