"""The bookkeeping, fee and common-part services through their API doors: what each books, and bad input as a 400
with the field's message and nothing written (who may use each door: test_permission_matrix.py)."""

import datetime
from decimal import Decimal

import pytest

from ledger.models import (
    Account,
    AccountKind,
    CommonItem,
    FeeBill,
    FeePayment,
    FeeRelief,
    Period,
    Transaction,
)

from .conftest import households_of, join_committee, month_start
from .test_fees import billed  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

BAD_AMOUNTS = [("-5", "greater than or equal to 0.01"), ("1.234", "2 decimal places"), ("abc", "valid number"),
               ("0", "greater than or equal to 0.01")]


def _post(as_user, login, url, body):
    return as_user(login).post(f"/api/v1/ledger/{url}", body, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_a_deposit_by_area_rate_books_the_households_fund(as_user, fund_compound):
    household = households_of(fund_compound)[0]
    response = _post(as_user, "district_center", "accounts/deposit/", {"household": household.pk, "rate": "50.00"})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "deposit"
    account = Account.objects.get(household=household, kind=AccountKind.HOUSEHOLD_FUND)
    assert account.balance == Decimal("4475.00")  # 89.50 m² × 50
    again = _post(as_user, "district_center", "accounts/deposit/", {"household": household.pk, "amount": "100"})
    assert again.json()["kind"] == "top_up"


@pytest.mark.parametrize("amount, message", BAD_AMOUNTS)
def test_bad_deposit_amounts_are_field_errors(as_user, fund_compound, amount, message):
    household = households_of(fund_compound)[0]
    response = _post(as_user, "district_center", "accounts/deposit/", {"household": household.pk, "amount": amount})
    assert response.status_code == 400 and message in response.json()["amount"][0]
    assert not Transaction.objects.filter(compound=fund_compound).exists()


def test_a_deposit_needs_an_amount_or_a_rate_not_both(as_user, fund_compound):
    household = households_of(fund_compound)[0]
    for body in ({}, {"amount": "1", "rate": "2"}):
        response = _post(as_user, "district_center", "accounts/deposit/", {"household": household.pk, **body})
        assert response.status_code == 400 and "amount" in response.json()
    assert not Account.objects.filter(compound=fund_compound, balance__gt=0).exists()


def test_interest_is_shared_by_balance_and_refused_without_holders(as_user, fund_compound):
    refused = _post(as_user, "district_center", "accounts/interest/", {"compound": fund_compound.pk,
                                                                        "amount": "3.00"})
    assert refused.status_code == 400 and "amount" in refused.json()
    a, b, _c = households_of(fund_compound)
    for household, amount in ((a, "100.00"), (b, "200.00")):
        _post(as_user, "district_center", "accounts/deposit/", {"household": household.pk, "amount": amount})
    response = _post(as_user, "district_center", "accounts/interest/", {"compound": fund_compound.pk,
                                                                         "amount": "3.00"})
    assert response.status_code == 201, response.content
    balances = dict(Account.objects.filter(compound=fund_compound, kind=AccountKind.HOUSEHOLD_FUND)
                    .values_list("household_id", "balance"))
    assert balances[a.pk] == Decimal("101.00") and balances[b.pk] == Decimal("202.00")


def test_closing_a_month_is_final_and_only_once_it_is_over(as_user, fund_compound):
    body = {"compound": fund_compound.pk, "year": 2026, "month": 1}
    assert _post(as_user, "district_center", "periods/close/", body).json()["status"] == "closed"
    again = _post(as_user, "district_center", "periods/close/", body)
    assert again.status_code == 400
    future = _post(as_user, "district_center", "periods/close/", {**body, "year": 2099})
    assert future.status_code == 400
    bad = _post(as_user, "district_center", "periods/close/", {**body, "month": 13})
    assert bad.status_code == 400 and "month" in bad.json()
    assert Period.objects.filter(compound=fund_compound).count() == 1


def test_the_firm_bills_a_month_once(as_user, demo_compound):
    month = month_start()  # the demo bills the months before this one
    body = {"compound": demo_compound.pk, "year": month.year, "month": month.month}
    first = _post(as_user, "firm_staff", "fee-bills/bill-month/", body)
    assert first.status_code == 200, first.content
    assert first.json()["billed"] == len(households_of(demo_compound))
    assert _post(as_user, "firm_staff", "fee-bills/bill-month/", body).json()["billed"] == 0
    assert (FeeBill.objects.filter(compound=demo_compound, year=month.year, month=month.month).count()
            == first.json()["billed"])


def test_billing_a_compound_without_a_fee_standard_is_a_field_error(as_user, fund_compound):
    response = _post(as_user, "district_center", "fee-bills/bill-month/",
                     {"compound": fund_compound.pk, "year": 2026, "month": 2})
    assert response.status_code == 403  # the centre does not bill
    response = _post(as_user, "admin", "fee-bills/bill-month/", {"compound": fund_compound.pk, "year": 2026,
                                                                  "month": 2})
    assert response.status_code == 400 and "compound" in response.json()


def test_a_payment_is_recorded_once_by_receipt(as_user, demo_compound):
    household = households_of(demo_compound)[0]
    body = {"household": household.pk, "receipt_no": "R-77", "amount": "35.50",
            "paid_on": month_start().isoformat()}
    assert _post(as_user, "firm_staff", "fee-payments/", body).status_code == 201
    assert _post(as_user, "firm_staff", "fee-payments/", body).status_code == 200
    clash = _post(as_user, "firm_staff", "fee-payments/", {**body, "amount": "36.00"})
    assert clash.status_code == 400 and "receipt_no" in clash.json()
    assert FeePayment.objects.filter(compound=demo_compound, receipt_no="R-77").count() == 1


@pytest.mark.parametrize("amount, message", BAD_AMOUNTS)
def test_bad_payment_amounts_are_field_errors(as_user, demo_compound, amount, message):
    household = households_of(demo_compound)[0]
    response = _post(as_user, "firm_staff", "fee-payments/",
                     {"household": household.pk, "receipt_no": "R-78", "amount": amount})
    assert response.status_code == 400 and message in response.json()["amount"][0]
    assert not FeePayment.objects.filter(receipt_no="R-78").exists()


def test_relief_needs_a_reason_and_stays_within_what_is_owed(as_user, demo_compound):
    account = (Account.objects.filter(compound=demo_compound, kind=AccountKind.FEES_RECEIVABLE, balance__gte=1)
               .order_by("household_id").first())
    url, body = "fee-reliefs/", {"household": account.household_id, "amount": "1.00", "reason": ""}
    assert "reason" in _post(as_user, "community_office", url, body).json()
    too_much = _post(as_user, "community_office", url, {**body, "reason": "低保", "amount": str(account.balance + 1)})
    assert too_much.status_code == 400 and "amount" in too_much.json()
    assert not FeeRelief.objects.filter(household_id=account.household_id, reason="低保").exists()
    before = account.balance
    granted = _post(as_user, "community_office", url, {**body, "reason": "低保"})
    assert granted.status_code == 201, granted.content
    account.refresh_from_db()
    assert account.balance == before - 1


def test_an_item_is_entered_reviewed_and_published(as_user, users, billed):  # noqa: F811
    # a compound the firm serves, whose last month is over and unpublished (the demo compound's are published)
    join_committee(users["committee_member"], billed)
    month = month_start(-1)
    entered = _post(as_user, "firm_staff", "common-items/", {
        "compound": billed.pk, "kind": "income", "category": "advertising", "amount": "300.00",
        "occurred_on": (month + datetime.timedelta(days=9)).isoformat(), "description": "电梯广告"})
    assert entered.status_code == 201, entered.content
    early = _post(as_user, "committee_member", "statements/", {"compound": billed.pk, "year": month.year,
                                                                "month": month.month})
    assert early.status_code == 400  # an item of the month waits for review
    reject = _post(as_user, "committee_member", f"common-items/{entered.json()['id']}/review/", {"approve": False})
    assert reject.status_code == 400 and "note" in reject.json()
    approved = _post(as_user, "committee_member", f"common-items/{entered.json()['id']}/review/", {"approve": True})
    assert approved.json()["status"] == "approved"
    published = _post(as_user, "committee_member", "statements/", {"compound": billed.pk, "year": month.year,
                                                                    "month": month.month})
    assert published.status_code == 201, published.content
    assert Decimal(published.json()["income"]) == Decimal("300.00")


@pytest.mark.parametrize("field, value", [("amount", "-1"), ("amount", "1.001"), ("kind", "gift"),
                                          ("category", "lottery"), ("occurred_on", "yesterday"),
                                          ("description", "")])
def test_bad_items_are_field_errors(as_user, demo_compound, field, value):
    body = {"compound": demo_compound.pk, "kind": "expense", "category": "maintenance", "amount": "20.00",
            "occurred_on": "2026-01-10", "description": "补植", field: value}
    response = _post(as_user, "committee_member", "common-items/", body)
    assert response.status_code == 400 and field in response.json()
    assert not CommonItem.objects.filter(occurred_on=datetime.date(2026, 1, 10)).exists()
