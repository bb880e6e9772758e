"""Property fees: bills by floor area × the contract's fee standard, payments once per receipt (entered or
imported, with a per-row report), relief with its reason, and collection rates per compound and node."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from core.errors import DomainError
from ledger import fees
from ledger.models import Account, AccountKind, FeeBill, FeePayment
from ledger.selectors import balance_differences
from properties.models import Contract

from .conftest import check_deferred, households_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed(users, fund_compound, demo_compound):
    """The fresh compound under the demo firm's contract at 2.00 yuan/m², billed for March 2026."""
    firm = Contract.objects.get(compound=demo_compound, status="active").firm
    Contract.objects.create(district_id=fund_compound.district_id, firm=firm, compound=fund_compound,
                            starts_on=datetime.date(2026, 1, 1), status="active", fee_standard=Decimal("2.00"))
    from guardian.shortcuts import assign_perm

    assign_perm("communities.access_compound", firm.group, fund_compound)
    assert fees.fees_bill_month(actor=_fresh(users["firm_staff"]), compound=fund_compound, year=2026, month=3) == 3
    return fund_compound


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _receivable(household):
    return Account.objects.get(household=household, kind=AccountKind.FEES_RECEIVABLE).balance


def test_a_month_is_billed_by_floor_area_times_the_fee_standard_once(users, billed):
    check_deferred()
    amounts = dict(FeeBill.objects.filter(compound=billed).values_list("household__room", "amount"))
    assert amounts == {"001": Decimal("179.00"), "002": Decimal("240.00"), "003": Decimal("130.50")}
    assert fees.fees_bill_month(actor=_fresh(users["firm_staff"]), compound=billed, year=2026, month=3) == 0
    assert balance_differences() == []


def test_only_the_firm_serving_the_compound_bills_it(users, fund_compound):
    with pytest.raises(PermissionDenied):
        fees.fees_bill_month(actor=users["firm_staff"], compound=fund_compound, year=2026, month=3)


def test_a_receipt_is_recorded_once_and_a_clash_is_refused(users, billed):
    household = households_of(billed)[0]
    staff = _fresh(users["firm_staff"])
    _p, created = fees.fee_payment_record(actor=staff, household=household, amount="179.00", receipt_no="R-1",
                                          paid_on=datetime.date(2026, 3, 9))
    _p, again = fees.fee_payment_record(actor=staff, household=household, amount="179", receipt_no="R-1",
                                        paid_on=datetime.date(2026, 3, 9))
    assert (created, again) == (True, False)
    assert _receivable(household) == Decimal("0.00")
    with pytest.raises(DomainError) as exc:
        fees.fee_payment_record(actor=staff, household=household, amount="10", receipt_no="R-1")
    assert exc.value.field == "receipt_no"
    with pytest.raises(ValidationError) as bad:
        fees.fee_payment_record(actor=staff, household=household, amount="1.001", receipt_no="R-2")
    assert "amount" in bad.value.message_dict


def _sheet(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["收据号", "楼栋", "单元", "房号", "金额", "缴费日期"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_an_import_reports_each_bad_row_and_running_it_twice_adds_nothing(users, billed):
    staff = _fresh(users["firm_staff"])
    rows = fees.read_sheet(_sheet([
        ["A-1", "1", "", "001", "179.00", "2026-03-05"],
        ["A-2", "1", "", "002", "240", "2026-03-06"],
        ["A-3", "1", "", "999", "10", "2026-03-06"],      # no such household
        ["A-4", "1", "", "003", "-5", "2026-03-06"],      # negative
        ["A-5", "1", "", "003", "12.345", "2026-03-06"],  # too many decimals
        ["A-6", "1", "", "003", "abc", "2026-03-06"],     # not a number
        ["A-7", "1", "", "003", "100", "06/03/2026"],     # not a date
    ]))
    first = fees.fee_payments_import(actor=staff, compound=billed, rows=rows)
    assert (first.created, first.unchanged) == (2, 0)
    assert [number for number, _message in first.errors] == [4, 5, 6, 7, 8]
    second = fees.fee_payments_import(actor=staff, compound=billed, rows=rows)
    assert (second.created, second.unchanged, len(second.errors)) == (0, 2, 5)
    assert FeePayment.objects.filter(compound=billed).count() == 2
    check_deferred()


def test_a_file_that_is_not_a_workbook_is_a_field_error():
    with pytest.raises(ValidationError) as exc:
        fees.read_sheet(io.BytesIO(b"not a workbook"))
    assert "file" in exc.value.message_dict


def test_relief_needs_the_community_a_reason_and_no_more_than_is_owed(users, billed):
    household = households_of(billed)[2]
    with pytest.raises(PermissionDenied):
        fees.fee_relief_grant(actor=_fresh(users["firm_staff"]), household=household, amount="10", reason="x")
    with pytest.raises(ValidationError):
        fees.fee_relief_grant(actor=users["community_office"], household=household, amount="10", reason=" ")
    with pytest.raises(DomainError, match="130.50"):
        fees.fee_relief_grant(actor=users["community_office"], household=household, amount="200", reason="低保户")
    fees.fee_relief_grant(actor=users["community_office"], household=household, amount="130.50", reason="低保户")
    assert _receivable(household) == Decimal("0.00")


def test_the_collection_rate_is_paid_over_due_after_relief(users, billed):
    a, b, c = households_of(billed)
    staff = _fresh(users["firm_staff"])
    fees.fee_payment_record(actor=staff, household=a, amount="179.00", receipt_no="R-1")
    fees.fee_relief_grant(actor=users["community_office"], household=c, amount="130.50", reason="低保户")
    row = fees.collection_rates([billed.pk])[billed.pk]
    assert row["billed"] == Decimal("549.50") and row["relieved"] == Decimal("130.50")
    assert row["arrears"] == Decimal("240.00")
    assert row["rate"] == Decimal("0.4272")  # 179 / 419
    assert fees.collection_rate_of([billed.pk]) == Decimal("0.4272")
    assert fees.collection_rates([b.compound_id + 10**6])[b.compound_id + 10**6]["rate"] is None


def test_the_demo_district_collects_about_nine_in_ten():
    from communities.models import Compound, District

    district = District.objects.order_by("pk").first()
    rate = fees.collection_rate_of(list(Compound.objects.filter(district=district).values_list("pk", flat=True)))
    assert Decimal("0.88") <= rate <= Decimal("0.93")


def test_an_owner_without_a_fund_account_still_reads_their_fees_on_the_finance_page(client, users, billed):
    # given an owner of a billed household for which no maintenance fund sub-account is kept
    from django.contrib.auth import get_user_model

    from communities.models import Person, Residency

    household = households_of(billed)[1]
    assert not Account.objects.filter(household=household, kind=AccountKind.HOUSEHOLD_FUND).exists()
    user = get_user_model().objects.create_user("fee_payer", password="x-fee-payer-2026")
    person = Person.objects.create(district_id=billed.district_id, community_id=billed.community_id, name="缴费人",
                                   user=user)
    Residency.objects.create(person=person, household=household, relation=Residency.Relation.OWNER)
    bill = FeeBill.objects.get(household=household, year=2026, month=3)
    # when they open their finances
    client.force_login(user)
    response = client.get("/finance/")
    # then their March bill and what they owe are there, with the note that no fund is kept for them
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-03" in page and str(bill.amount) in page
    assert page.count(str(household)) >= 2


@pytest.mark.parametrize("what", ["bill", "payment", "relief"])
def test_a_fee_posting_is_not_reversed_behind_its_record(users, billed, what):
    # given a bill, a payment or a relief, each with its own record besides the legs
    from ledger import services
    from ledger.models import Transaction

    household = households_of(billed)[0]
    if what == "bill":
        txn = FeeBill.objects.get(household=household, year=2026, month=3).transaction
    elif what == "payment":
        txn = fees.fee_payment_record(actor=_fresh(users["firm_staff"]), household=household, amount="10",
                                      receipt_no="R-9")[0].transaction
    else:
        txn = fees.fee_relief_grant(actor=users["community_office"], household=household, amount="10",
                                    reason="低保户").transaction
    # when the centre tries to reverse it, then it is refused and nothing is posted
    with pytest.raises(DomainError, match="cannot be reversed"):
        services.transaction_reverse(actor=users["district_center"], transaction_=txn, memo="mistake")
    assert not Transaction.objects.filter(reverses=txn).exists()


def test_the_fees_of_a_household_one_may_not_read_show_nothing_owed(users, billed):
    # given a household of another compound with a March bill outstanding
    from ledger.selectors import household_fees

    household = households_of(billed)[0]
    assert _receivable(household) > 0
    # when the demo resident's read is asked about it, then it gives away neither the debt nor the bills
    assert household_fees(_fresh(users["resident"]), [household.pk])[household.pk] == {
        "owed": Decimal(0), "bills": [], "payments": []}


def test_an_import_reads_each_households_compound_with_the_household(users, billed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def compound_reads(rows):
        with CaptureQueriesContext(connection) as ctx:
            report = fees.fee_payments_import(actor=_fresh(users["firm_staff"]), compound=billed, rows=rows)
        assert report.errors == []
        return sum('FROM "communities_compound"' in q["sql"] for q in ctx.captured_queries)

    # given a sheet of one payment and one of three
    one = compound_reads([("B-1", "1", "", "001", "10", "2026-03-05")])
    three = compound_reads([(f"C-{i}", "1", "", f"00{i}", "10", "2026-03-05") for i in (1, 2, 3)])
    # then the compounds are not read again row by row
    assert three == one
