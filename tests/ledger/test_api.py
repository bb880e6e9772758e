"""The ledger API end to end: an application through its review by each level, refusals as field errors,
and histories whose query count does not grow with their length."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.models import Account, AccountKind, FundApplication

from .conftest import households_of, month_start, passed_vote

pytestmark = pytest.mark.django_db


def _payload(compound, **overrides):
    building = households_of(compound)[0].building
    return {"compound": compound.pk, "project": "Roof", "amount": "1200.00", "contractor": "Roofers",
            "applicant": "committee", "buildings": [building.pk], "decision": passed_vote(compound).pk,
            **overrides}


@pytest.mark.parametrize("amount, message", [
    ("-5", "greater than or equal to 0.01"), ("1.234", "2 decimal places"), ("abc", "valid number"),
    ("0", "greater than or equal to 0.01"),
])
def test_bad_amounts_are_400_field_errors(as_user, demo_compound, amount, message):
    response = as_user("committee_member").post("/api/v1/ledger/fund-applications/",
                                                _payload(demo_compound, amount=amount), format="json",
                                                HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.json()["amount"][0]
    assert not FundApplication.objects.filter(project="Roof").exists()


def test_an_application_without_the_owners_decision_is_refused_with_a_clear_message(as_user, demo_compound):
    response = as_user("committee_member").post("/api/v1/ledger/fund-applications/",
                                                _payload(demo_compound, decision=None), format="json")
    assert response.status_code == 400
    assert "Civil Code" in response.json()["decision"][0] or "民法典" in response.json()["decision"][0]


def test_an_application_goes_through_the_three_levels_in_order(as_user, demo_compound):
    created = as_user("committee_member").post("/api/v1/ledger/fund-applications/", _payload(demo_compound),
                                               format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/ledger/fund-applications/{created.json()['id']}/"
    early = as_user("street_office").post(url + "review/", {"level": "street", "approve": True, "opinion": "ok"},
                                          format="json")
    assert early.status_code == 400 and "level" in early.json()
    for login, level in (("community_office", "community"), ("street_office", "street"),
                         ("district_center", "center")):
        response = as_user(login).post(url + "review/", {"level": level, "approve": True, "opinion": level},
                                       format="json")
        assert response.status_code == 200, response.content
    detail = as_user("resident").get(url).json()
    assert detail["status"] == "approved"
    assert [r["level"] for r in detail["reviews"]] == ["community", "street", "center"]
    refused = as_user("district_center").post(url + "disburse/", format="json")
    assert refused.status_code == 400
    photo = SimpleUploadedFile("done.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    uploaded = as_user("community_office").post(url + "documents/", {"kind": "acceptance_photo", "file": photo},
                                                format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    assert as_user("community_office").post(url + "accept/", {"note": "fine"}, format="json").status_code == 200


@pytest.mark.parametrize("login", ["resident", "firm_staff", "department_staff"])
def test_who_may_not_review_is_refused(as_user, demo_compound, users, login):
    application = services.fund_application_submit(
        actor=users["committee_member"], compound=demo_compound, project="Gate", amount="10",
        contractor="C", buildings=[households_of(demo_compound)[0].building], applicant="committee",
        decision=passed_vote(demo_compound))
    response = as_user(login).post(f"/api/v1/ledger/fund-applications/{application.pk}/review/",
                                   {"level": "community", "approve": True, "opinion": "ok"}, format="json")
    assert response.status_code in (403, 404)
    assert response.status_code == (404 if login == "department_staff" else 403)


def _fresh_api(user):
    """An API client for a fresh copy of the user, as a real request has (the scope is cached on the user)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _grow_history(users, household, times):
    for _i in range(times):
        services.fund_deposit(actor=users["district_center"], household=household, amount="1.00")


def test_the_household_balance_and_history_cost_the_same_queries_for_short_and_long_histories(client, users):
    # given the resident's household with its demo history, then 60 more entries
    resident = users["resident"]
    account = Account.objects.filter(household__residencies__person__user=resident,
                                     kind=AccountKind.HOUSEHOLD_FUND).order_by("household_id").first()
    household = account.household
    client.force_login(resident)
    short = [_queries(client, "/finance/")[0],
             _queries(_fresh_api(resident), f"/api/v1/ledger/accounts/{account.pk}/entries/")[0]]
    balance = Account.objects.get(pk=account.pk).balance
    _grow_history(users, household, 60)
    client.force_login(resident)
    long_page, response = _queries(client, "/finance/")
    long_api, api_response = _queries(_fresh_api(resident), f"/api/v1/ledger/accounts/{account.pk}/entries/")
    # then the same number of queries, and the stored balance moved by exactly the new entries
    assert [long_page, long_api] == short
    assert Account.objects.get(pk=account.pk).balance == balance + Decimal("60.00")
    assert str(balance + Decimal("60.00")) in response.content.decode()
    assert api_response.json()["count"] > 60


def test_an_owner_reads_only_their_own_households_top_up_in_an_application(as_user, users):
    # given a published, paid application whose works left two households of the compound owing a top-up
    from communities.models import Household, Residency
    from ledger.models import Shortfall

    own = list(Residency.objects.filter(person__user=users["resident"]).values_list("household_id", flat=True))
    compound_id = Household.objects.get(pk=own[0]).compound_id
    application = FundApplication.objects.filter(compound_id=compound_id, published_at__isnull=False).first()
    neighbour = Household.objects.filter(compound=application.compound).exclude(pk__in=own).first()
    for household in (Household.objects.get(pk=own[0]), neighbour):
        Shortfall.objects.create(application=application, household=household, compound=application.compound,
                                 amount=Decimal("12.34"))
    url = f"/api/v1/ledger/fund-applications/{application.pk}/"

    def owing(login):
        response = as_user(login).get(url)
        assert response.status_code == 200, response.content
        return {row["household"] for row in response.json()["shortfalls"]}

    # then the owner sees their own top-up only; the community office sees both
    assert owing("resident") == {own[0]}
    assert owing("community_office") == {own[0], neighbour.pk}


def test_the_finance_page_and_the_compound_lists_cost_the_same_queries_as_the_compound_grows(client, users):
    """The pages benchmarks/ledger_pages.py measures at district scale: the resident's /finance/, their fund
    account's history, the compound's statements and transactions. More households posting, more months
    published and billed in the compound leave their query counts unchanged."""
    from communities.models import Household
    from ledger import common, fees

    resident = users["resident"]
    account = Account.objects.filter(household__residencies__person__user=resident,
                                     kind=AccountKind.HOUSEHOLD_FUND).order_by("household_id").first()
    compound = account.compound
    urls = [f"/api/v1/ledger/accounts/{account.pk}/entries/", f"/api/v1/ledger/statements/?compound={compound.pk}",
            f"/api/v1/ledger/transactions/?compound={compound.pk}"]

    def counts():
        client.force_login(resident)
        return [_queries(client, "/finance/")[0], *[_queries(_fresh_api(resident), url)[0] for url in urls]]

    before = counts()
    # when ten neighbours make deposits, the firm bills two more months and the committee publishes them
    for household in Household.objects.filter(compound=compound).exclude(pk=account.household_id)[:10]:
        services.fund_deposit(actor=users["district_center"], household=household, amount="5.00")
    firm = type(users["firm_staff"]).objects.get(pk=users["firm_staff"].pk)
    for month in (month_start(), month_start(1)):  # the months after the demo's
        assert fees.fees_bill_month(actor=firm, compound=compound, year=month.year, month=month.month) > 0
        common.statement_publish(actor=users["committee_member"], compound=compound, year=month.year,
                                 month=month.month, today=month_start(2))
    # then every page costs what it did
    assert counts() == before
