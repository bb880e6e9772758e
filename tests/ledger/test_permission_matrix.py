"""Every ledger list and detail route × every login: exactly the rows roles.md gives the role, 404 beyond.

The oracle works from the rows in plain Python (reusing the foundation's reach), independent of the policies'
SQL: offices their subtree, commissioners, committee members and the firm under contract their compounds,
supervisory board members their compound whole; an owner their own household's accounts and entries, the
compound's accounts and months, and its published fund applications."""


import pytest

from communities.models import Compound, Household
from governance.models import Body, BodyMember
from ledger.models import (
    Account,
    CommonItem,
    FeeBill,
    FeePayment,
    FeeRelief,
    FundApplication,
    Leg,
    MonthlyStatement,
    Period,
    Transaction,
)
from tests.conftest import ROLE_LOGINS
from tests.ledger.conftest import before_the_demo, demo_last_month, month_start
from tests.oracle import _in_subtree, _reach

ROUTES = [
    ("accounts", Account),
    ("transactions", Transaction),
    ("periods", Period),
    ("fund-applications", FundApplication),
    ("fee-bills", FeeBill),
    ("fee-payments", FeePayment),
    ("fee-reliefs", FeeRelief),
    ("common-items", CommonItem),
    ("statements", MonthlyStatement),
]


def expected(user, model) -> set[int]:
    d, s, c, k, homes = _reach(user)
    whole = {row["id"] for row in Compound.objects.values()
             if _in_subtree({**row, "compound_id": row["id"]}, d, s, c, k)}
    whole |= set(BodyMember.objects.filter(body__kind=Body.Kind.SUPERVISORY_BOARD, person__user=user)
                 .values_list("body__compound_id", flat=True))
    home_compounds = set(Household.objects.filter(pk__in=homes).values_list("compound_id", flat=True))
    if model is Account:
        return {a.pk for a in Account.objects.all() if a.compound_id in whole or a.household_id in homes
                or (a.household_id is None and a.compound_id in home_compounds)}
    if model is Transaction:
        mine = set(Leg.objects.filter(account__household_id__in=homes).values_list("transaction_id", flat=True))
        return {t.pk for t in Transaction.objects.all() if t.compound_id in whole or t.pk in mine}
    if model is Period:
        return {p.pk for p in Period.objects.all() if p.compound_id in whole | home_compounds}
    if model is FundApplication:
        return {a.pk for a in FundApplication.objects.all() if a.compound_id in whole
                or (a.compound_id in home_compounds and a.published_at is not None)}
    if model in (FeeBill, FeePayment, FeeRelief):
        return {r.pk for r in model.objects.all() if r.compound_id in whole or r.household_id in homes}
    if model is CommonItem:
        return {r.pk for r in CommonItem.objects.all() if r.compound_id in whole}
    if model is MonthlyStatement:
        return {r.pk for r in MonthlyStatement.objects.all() if r.compound_id in whole | home_compounds}
    raise AssertionError(model)


def _all_ids(client, route):
    ids, url = [], f"/api/v1/ledger/{route}/?page_size=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        ids += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    assert len(ids) == len(set(ids)), "a row is listed twice"
    return set(ids)


@pytest.mark.django_db
@pytest.mark.parametrize("route,model", ROUTES, ids=[r for r, _m in ROUTES])
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_role_sees_exactly_its_scope(as_user, users, login, route, model):
    client = as_user(login)
    want = expected(users[login], model)
    assert _all_ids(client, route) == want
    outside = model.objects.exclude(pk__in=want).order_by("pk").first()
    assert outside is not None, "the demo must hold rows outside every scope"
    assert client.get(f"/api/v1/ledger/{route}/{outside.pk}/").status_code == 404
    if want:
        assert client.get(f"/api/v1/ledger/{route}/{min(want)}/").status_code == 200


@pytest.mark.django_db
def test_the_matrix_separates_the_roles(users):
    """The demo must give the matrix something to tell apart."""
    resident = expected(users["resident"], Account)
    assert resident and resident < expected(users["community_office"], Account)
    assert expected(users["resident"], FundApplication) == expected(users["committee_member"], FundApplication)
    assert not expected(users["department_staff"], Account)
    assert not expected(users["district_org"], Account) & expected(users["district_org_b"], Account)


@pytest.mark.django_db
def test_a_supervisory_board_member_reads_all_of_their_compound(as_user, users):
    from communities.models import Person
    from tests.ledger.conftest import first_compound_of

    resident = users["resident"]
    compound = first_compound_of(resident)
    every_account = set(Account.objects.filter(compound=compound).values_list("pk", flat=True))
    assert _all_ids(as_user("resident"), "accounts") & every_account < every_account
    body = Body.objects.create(compound=compound, kind=Body.Kind.SUPERVISORY_BOARD)
    BodyMember.objects.create(body=body, person=Person.objects.get(user=resident))
    got = _all_ids(as_user("resident"), "accounts")
    assert got == expected(resident, Account)
    assert every_account <= got


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _m in ROUTES])
def test_anonymous_gets_401(api, route):
    assert api.get(f"/api/v1/ledger/{route}/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_an_accounts_history_is_seen_with_the_account_only(as_user, users, login):
    client = as_user(login)
    want = expected(users[login], Account)
    outside = Account.objects.exclude(pk__in=want).order_by("pk").first()
    assert client.get(f"/api/v1/ledger/accounts/{outside.pk}/entries/").status_code == 404
    if want:
        assert client.get(f"/api/v1/ledger/accounts/{min(want)}/entries/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["accounts", "transactions", "periods"])
def test_the_ledger_is_not_written_through_the_read_routes(as_user, route):
    assert as_user("district_center").post(f"/api/v1/ledger/{route}/", {}, format="json").status_code == 405


# --- the write routes: who may book, bill, relieve, enter, review and publish ----------------------------------
# roles.md: the district centre administers the fund (deposits, interest, closing months); the firm under contract
# bills fees and records payments; the community grants relief; the firm or the committee enters common-part
# income and expenses, which the committee reviews and publishes. Everyone else: 403 where they see the compound
# or household, 404 where they do not.

WRITE_ALLOWED = {
    "accounts/deposit/": {"district_center"},
    "accounts/interest/": {"district_center"},
    "periods/close/": {"district_center"},
    "fee-bills/bill-month/": {"firm_staff"},
    "fee-payments/": {"firm_staff"},
    "fee-reliefs/": {"community_office"},
    "common-items/": {"firm_staff", "committee_member"},
    "common-items/<id>/review/": {"committee_member"},
    "statements/": {"committee_member"},
}
SUCCESS = {"accounts/deposit/": 201, "accounts/interest/": 201, "periods/close/": 200, "fee-bills/bill-month/": 200,
           "fee-payments/": 201, "fee-reliefs/": 201, "common-items/": 201, "common-items/<id>/review/": 200,
           "statements/": 201}


def _write_request(route, compound, users):
    """(url, body, the row whose visibility decides 404) for one write route against the demo compound."""
    from ledger import common

    owing = (Account.objects.filter(compound=compound, kind="fees_receivable", balance__gte=1)
             .order_by("household_id").first().household_id)
    household = Household.objects.filter(compound=compound).order_by("pk").first().pk
    # months that work in the demo compound (tests/ledger/conftest.py): billing this month, closing the demo's last
    # (over, still open), publishing the month before the demo's (over, never published)
    month = {"fee-bills/bill-month/": month_start(), "periods/close/": demo_last_month(),
             "statements/": before_the_demo()}.get(route, month_start())
    month = {"compound": compound.pk, "year": month.year, "month": month.month}
    if route == "accounts/deposit/":
        return route, {"household": household, "amount": "10.00"}, (Household, household)
    if route == "accounts/interest/":
        return route, {"compound": compound.pk, "amount": "5.00"}, (Compound, compound.pk)
    if route == "fee-payments/":
        return route, {"household": household, "receipt_no": "MATRIX-1", "amount": "10.00"}, (Household, household)
    if route == "fee-reliefs/":
        return route, {"household": owing, "amount": "1.00", "reason": "低保户"}, (Household, owing)
    if route == "common-items/":
        return route, {"compound": compound.pk, "kind": "income", "category": "parking", "amount": "100.00",
                       "occurred_on": month_start().isoformat(), "description": "临时停车费"}, (Compound, compound.pk)
    if route == "common-items/<id>/review/":
        item = common.common_item_enter(actor=users["committee_member"], compound=compound, kind="income",
                                        category="rent", amount="80.00", occurred_on=month_start(),
                                        description="门卫室出租")
        return f"common-items/{item.pk}/review/", {"approve": True}, (CommonItem, item.pk)
    return route, month, (Compound, compound.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(WRITE_ALLOWED))
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_who_may_write_through_each_route(as_user, users, demo_compound, route, login):
    from tests.oracle import expected as reach

    url, body, (model, pk) = _write_request(route, demo_compound, users)
    seen = expected(users[login], model) if model is CommonItem else reach(users[login], model)
    response = as_user(login).post(f"/api/v1/ledger/{url}", body, format="json")
    want = SUCCESS[route] if login in WRITE_ALLOWED[route] else (403 if pk in seen else 404)
    assert response.status_code == want, response.content


@pytest.mark.django_db
def test_the_write_matrix_separates_the_roles(users, demo_compound):
    """Every route has a login that may, one that sees the place but may not, and one that does not see it."""
    from tests.oracle import expected as reach

    assert demo_compound.pk in reach(users["resident"], Compound)
    assert demo_compound.pk not in reach(users["resident_2"], Compound)
    assert demo_compound.pk not in reach(users["district_org_b"], Compound)


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(WRITE_ALLOWED))
def test_anonymous_may_not_write(api, route):
    assert api.post(f"/api/v1/ledger/{route.replace('<id>', '1')}", {}, format="json").status_code == 401


# --- the spreadsheet import in the admin: the upload page, and an import's status, progress and refused rows ----

@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_who_reaches_the_import_pages(client, users, demo_compound, login):
    """Staff who record payments (the firm under contract) get the upload page, other staff 403; an import is
    seen by the readers of its compound's books (404 beyond); non-staff are sent to the admin's login."""
    from django.urls import reverse

    from ledger.models import FeeImport

    user = users[login]
    job = FeeImport.objects.create(compound=demo_compound, uploaded_by=users["firm_staff"], file="x.xlsx",
                                   status="done", errors=[[3, "no such household"]])
    client.force_login(user)
    whole = _whole_compounds(user)
    upload = client.get(reverse("admin:ledger_feepayment_import"))
    pages = [client.get(reverse(f"admin:ledger_feepayment_import_{name}", args=[job.pk]))
             for name in ("status", "progress", "errors")]
    if not user.is_staff:
        assert upload.status_code == 302 and all(p.status_code == 302 for p in pages)
        return
    assert upload.status_code == (200 if login == "firm_staff" else 403)
    want = 200 if demo_compound.pk in whole else 404
    assert [p.status_code for p in pages] == [want] * 3


def _whole_compounds(user) -> set[int]:
    d, s, c, k, _homes = _reach(user)
    whole = {row["id"] for row in Compound.objects.values()
             if _in_subtree({**row, "compound_id": row["id"]}, d, s, c, k)}
    return whole | set(BodyMember.objects.filter(body__kind=Body.Kind.SUPERVISORY_BOARD, person__user=user)
                       .values_list("body__compound_id", flat=True))


# --- the spreadsheet import in the API: queueing it, and reading an import, its progress and refused rows ------

@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_who_may_queue_an_import_through_the_api(as_user, users, demo_compound, login):
    """The firm under contract queues (202); whoever else sees the compound gets 403, the others 404."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ledger.models import FeeImport
    from tests.ledger.test_fees import _sheet
    from tests.oracle import expected as reach

    sheet = SimpleUploadedFile("payments.xlsx", _sheet([["M-1", "1", "", "001", "10", "2026-03-05"]]).getvalue())
    response = as_user(login).post("/api/v1/ledger/fee-payments/import/", {"compound": demo_compound.pk,
                                                                            "file": sheet}, format="multipart")
    want = 202 if login == "firm_staff" else (403 if demo_compound.pk in reach(users[login], Compound) else 404)
    assert response.status_code == want, response.content
    assert FeeImport.objects.filter(compound=demo_compound).exists() == (want == 202)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_an_import_is_read_by_the_readers_of_its_compounds_books(as_user, users, demo_compound, login):
    """fee-imports/ lists, shows and downloads the refused rows of the imports of the compounds whose books the
    user reads whole (as the admin's pages); 404 beyond."""
    from ledger.models import FeeImport

    other = Compound.objects.exclude(district_id=demo_compound.district_id).order_by("pk").first()
    jobs = {c.pk: FeeImport.objects.create(compound=c, uploaded_by=users["admin"], file="x.xlsx", status="done",
                                           errors=[[3, "no such household"]]).pk for c in (demo_compound, other)}
    client = as_user(login)
    whole = _whole_compounds(users[login])
    want = {pk for compound, pk in jobs.items() if compound in whole}
    assert _all_ids(client, "fee-imports") == want
    for compound, pk in jobs.items():
        status = 200 if compound in whole else 404
        assert client.get(f"/api/v1/ledger/fee-imports/{pk}/").status_code == status
        assert client.get(f"/api/v1/ledger/fee-imports/{pk}/refused-rows/").status_code == status


@pytest.mark.django_db
def test_anonymous_may_not_import_or_read_imports(api):
    assert api.post("/api/v1/ledger/fee-payments/import/", {}, format="multipart").status_code == 401
    assert api.get("/api/v1/ledger/fee-imports/").status_code == 401
    assert api.get("/api/v1/ledger/fee-imports/1/").status_code == 401
