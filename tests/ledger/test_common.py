"""Common-part income: entered by the firm or the committee, booked on the committee's approval, published monthly
as a statement the database keeps unchanged; the share of compounds publishing is measured."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import DomainError
from ledger import common
from ledger.models import Account, AccountKind, CommonItem, FeeBill, MonthlyStatement
from tests.conftest import DEMO

from .conftest import demo_month, month_start

pytestmark = pytest.mark.django_db


def _enter(users, compound, login="committee_member", kind="income", amount="500.00", category="parking"):
    return common.common_item_enter(actor=users[login], compound=compound, kind=kind, category=category,
                                    amount=amount, occurred_on=month_start(), description="Parking this month")


def test_an_item_is_booked_only_when_the_committee_approves(users, demo_compound):
    item = _enter(users, demo_compound, login="firm_staff")
    assert item.status == CommonItem.Status.ENTERED and item.transaction_id is None
    with pytest.raises(PermissionDenied):
        common.common_item_review(actor=users["firm_staff"], item=item, approve=True)
    bank = Account.objects.filter(compound=demo_compound, kind=AccountKind.COMMON_BANK).first()
    before = bank.balance if bank else Decimal(0)
    common.common_item_review(actor=users["committee_member"], item=item, approve=True, note="ok")
    assert Account.objects.get(compound=demo_compound, kind=AccountKind.COMMON_BANK).balance == before + 500
    with pytest.raises(DomainError):
        common.common_item_review(actor=users["committee_member"], item=item, approve=True)


def test_a_rejection_needs_a_reason_and_books_nothing(users, demo_compound):
    item = _enter(users, demo_compound)
    with pytest.raises(ValidationError):
        common.common_item_review(actor=users["committee_member"], item=item, approve=False)
    item = common.common_item_review(actor=users["committee_member"], item=item, approve=False, note="duplicate")
    assert item.status == CommonItem.Status.REJECTED and item.transaction_id is None


@pytest.mark.parametrize("amount, field", [("-1", "amount"), ("1.001", "amount"), ("x", "amount")])
def test_bad_amounts_are_field_errors(users, demo_compound, amount, field):
    with pytest.raises(ValidationError) as exc:
        _enter(users, demo_compound, amount=amount)
    assert field in exc.value.message_dict


def test_an_expense_beyond_the_money_is_refused(users, fund_compound):
    from guardian.shortcuts import assign_perm

    from communities.models import RoleAssignment

    RoleAssignment.objects.create(user=users["committee_member"], role="committee_member", compound=fund_compound,
                                  district_id=fund_compound.district_id)
    assign_perm("communities.access_compound", users["committee_member"], fund_compound)
    member = type(users["committee_member"]).objects.get(pk=users["committee_member"].pk)
    item = _enter({"committee_member": member}, fund_compound, kind="expense", category="maintenance")
    with pytest.raises(DomainError, match="Not enough|余额不足"):
        common.common_item_review(actor=member, item=item, approve=True)


def test_a_statement_is_published_once_from_the_books_and_never_changes(users, demo_compound):
    day, after = month_start(), month_start(1)  # a month the demo leaves open and unpublished, and the next
    item = _enter(users, demo_compound)
    with pytest.raises(DomainError):  # an item waits for review
        common.statement_publish(actor=users["committee_member"], compound=demo_compound, year=day.year, month=day.month,
                                 today=after)
    common.common_item_review(actor=users["committee_member"], item=item, approve=True)
    expense = _enter(users, demo_compound, kind="expense", amount="120.00", category="maintenance")
    common.common_item_review(actor=users["committee_member"], item=expense, approve=True)
    with pytest.raises(DomainError):  # the month is not over
        common.statement_publish(actor=users["committee_member"], compound=demo_compound, year=day.year, month=day.month,
                                 today=day)
    statement = common.statement_publish(actor=users["committee_member"], compound=demo_compound, year=day.year,
                                         month=day.month, today=after)
    assert (statement.income, statement.expenses) == (Decimal("500.00"), Decimal("120.00"))
    bank = Account.objects.get(compound=demo_compound, kind=AccountKind.COMMON_BANK)
    assert statement.balance == bank.balance
    with pytest.raises(DomainError, match="already|已"):
        common.statement_publish(actor=users["committee_member"], compound=demo_compound, year=day.year, month=day.month,
                                 today=after)
    late = _enter(users, demo_compound)
    with pytest.raises(DomainError):
        common.common_item_review(actor=users["committee_member"], item=late, approve=True)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            MonthlyStatement.objects.filter(pk=statement.pk).update(income=Decimal("1"))


def test_the_demo_district_publishes_in_about_nine_compounds_in_ten():
    from communities.models import Compound, District

    district = District.objects.order_by("pk").first()
    ids = list(Compound.objects.filter(district=district).values_list("pk", flat=True))
    from ledger.demo import fee_months

    year, month = fee_months(demo_month())[-1]  # the twelve months before the demo's month
    figures = common.publishing_share(ids, year=year, month=month)
    assert figures["share"] >= Decimal("0.80")
    assert figures["published"] < figures["compounds"]
    from communities.demo import first_compound

    published = MonthlyStatement.objects.filter(compound=first_compound(district, 0)).values_list("year", "month")
    assert sorted(published) == fee_months(demo_month())


def test_the_statements_read_are_the_latest_twelve_of_each_compound(users, demo_compound, fund_compound):
    # given fourteen published months in each of two compounds the community reads
    from ledger.selectors import compound_statements

    for compound in (demo_compound, fund_compound):
        for i in range(14):
            MonthlyStatement.objects.create(
                district_id=compound.district_id, street_id=compound.street_id, community_id=compound.community_id,
                compound=compound, year=2010 + i // 12, month=i % 12 + 1, income=0, expenses=0, balance=0,
                published_at=timezone.now(), published_by=users["commissioner"])
    # when the statements of both are read (the ids given once, as an iterator)
    read = compound_statements(users["community_office"], iter([demo_compound.pk, fund_compound.pk]))
    # then each compound has its own latest twelve
    for compound in (demo_compound, fund_compound):
        latest = list(MonthlyStatement.objects.filter(compound=compound).order_by("-year", "-month")
                      .values_list("year", "month")[:12])
        assert [(s.year, s.month) for s in read if s.compound_id == compound.pk] == latest


def test_the_demo_ledger_is_the_twelve_months_before_today():
    """The demo's fees and statements move with the date, so the dashboards' default period (this year) has them."""
    from ledger.demo import closed_until, fee_months

    assert fee_months(datetime.date(2026, 11, 30)) == [(2025, 11), (2025, 12), *[(2026, m) for m in range(1, 11)]]
    assert fee_months(datetime.date(2027, 1, 1)) == [(2026, m) for m in range(1, 13)]
    assert closed_until(datetime.date(2026, 11, 30)) == datetime.date(2026, 10, 1)
    months = set(FeeBill.objects.values_list("year", "month").distinct())
    # the twelve months before the day the demo was seeded (the day it started or, past midnight, finished)
    assert months in [set(fee_months(day)) for day in DEMO["seeded"]]
