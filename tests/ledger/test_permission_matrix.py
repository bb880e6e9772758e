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
