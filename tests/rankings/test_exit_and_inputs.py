"""Review findings on issue 9: publishing a list with an exit already open, the takeover by a street, exits
dropped with a reason, and the veto only for a firm that served the compound."""

import datetime

import pytest

from properties.models import Contract
from rankings import services, takeover
from rankings.models import ExitCase, Period
from tests.rankings.conftest import black_in


@pytest.fixture(autouse=True)
def _own_quarters(clean_slate):
    """These tests make their own quarters."""


@pytest.mark.django_db
def test_a_second_strike_with_an_exit_already_open_keeps_the_one_exit(users, place):
    # given an exit the owners opened by hand, and a first black listing in the contract's term
    contract = place["contract"]
    Contract.objects.filter(pk=contract.pk).update(starts_on=datetime.date(2024, 1, 1),
                                                   ends_on=datetime.date(2026, 12, 31))
    contract.refresh_from_db()
    case = takeover.exit_open(actor=users["district_center"], contract=contract, reason=ExitCase.Reason.OWNERS)
    black_in(users, place["district"], place["firm_id"], 2024, 2)
    # when the second listing is published (and published again, as an upheld appeal does)
    black_in(users, place["district"], place["firm_id"], 2025, 3)
    services._consequences(Period.objects.get(district=place["district"], year=2025, quarter=3))
    # then the contract is flagged and the exit already open is the only one
    contract.refresh_from_db()
    assert contract.may_end_early_since is not None
    assert list(ExitCase.objects.filter(contract=contract).values_list("pk", flat=True)) == [case.pk]


def _incoming(users, place):
    from django.contrib.auth import get_user_model

    from communities.models import Role
    from communities.services import role_grant
    from properties.models import Firm

    firm = Firm.objects.filter(district=place["district"]).exclude(pk=place["firm_id"]).order_by("pk").first()
    staff = get_user_model().objects.create_user(username="incoming-staff")
    role_grant(actor=users["admin"], user=staff, role=Role.FIRM_STAFF, node=firm)
    return firm, staff


@pytest.mark.django_db
def test_a_street_office_takes_over_a_compound_of_its_street_end_to_end(users, place, as_user):
    from rankings.models import HandoverItem

    # given an exit of a compound of the street
    case = takeover.exit_open(actor=users["street_office"], contract=place["contract"],
                              reason=ExitCase.Reason.OWNERS)
    firm, incoming_staff = _incoming(users, place)
    street = as_user("street_office")
    # when the street decides, hands over, the three sides tick and the street completes
    assert street.post(f"/api/v1/rankings/exits/{case.pk}/decide/", {"decision": "street"},
                       format="json").status_code == 200
    assert street.post(f"/api/v1/rankings/exits/{case.pk}/handover/", {"incoming_firm": firm.pk},
                       format="json").status_code == 200
    for login, side in (("firm_staff", "outgoing"), ("community_office", "community")):
        client = as_user(login)
        for item in HandoverItem.Item.values:
            assert client.post(f"/api/v1/rankings/exits/{case.pk}/tick/", {"item": item, "side": side},
                               format="json").status_code == 200
    for item in HandoverItem.Item.values:
        takeover.handover_tick(actor=incoming_staff, case=case, item=item, side="incoming")
    answer = street.post(f"/api/v1/rankings/exits/{case.pk}/complete/",
                         {"starts_on": "2026-12-01", "ends_on": "2029-11-30"}, format="json")
    # then the incoming firm's contract, signed by the street, is the compound's active one
    assert answer.status_code == 200, answer.content
    case.refresh_from_db()
    assert case.status == ExitCase.Status.DONE
    contract = Contract.objects.get(compound=place["compound"], status=Contract.Status.ACTIVE)
    assert contract == case.new_contract and contract.firm == firm
    assert contract.counterpart == Contract.Counterpart.STREET
    # and a street office of another street may not sign for this compound
    from core.errors import DomainError
    from properties import services as property_services

    other = Contract(firm=firm, compound=place["compound"], counterpart=Contract.Counterpart.STREET,
                     starts_on=datetime.date(2030, 1, 1), status=Contract.Status.DRAFT)
    with pytest.raises(DomainError):
        property_services.contract_save(actor=users["street_office_2"], contract=other)
    # nor sign an owners' committee's contract of its own street
    owners = Contract(firm=firm, compound=place["compound"], starts_on=datetime.date(2030, 1, 1),
                      counterpart=Contract.Counterpart.OWNERS_COMMITTEE, status=Contract.Status.DRAFT)
    with pytest.raises(DomainError):
        property_services.contract_save(actor=users["street_office"], contract=owners)


@pytest.mark.django_db
def test_an_exit_is_dropped_with_a_reason_telling_those_told_of_the_opening(users, place, as_user):
    from notifications.models import Notification

    contract = place["contract"]
    case = takeover.exit_open(actor=users["district_center"], contract=contract, reason=ExitCase.Reason.OWNERS)
    # the reason is required, and the firm may not drop its own exit
    assert as_user("street_office").post(f"/api/v1/rankings/exits/{case.pk}/drop/", {"reason": " "},
                                         format="json").status_code == 400
    assert as_user("firm_staff").post(f"/api/v1/rankings/exits/{case.pk}/drop/", {"reason": "x"},
                                      format="json").status_code == 403
    assert as_user("street_office_2").post(f"/api/v1/rankings/exits/{case.pk}/drop/", {"reason": "x"},
                                           format="json").status_code == 404
    answer = as_user("street_office").post(f"/api/v1/rankings/exits/{case.pk}/drop/",
                                           {"reason": "业主大会决定续聘"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "dropped" and answer.json()["dropped_reason"] == "业主大会决定续聘"
    case.refresh_from_db()
    assert [h.status for h in case.history.order_by("history_date")] == ["open", "dropped"]
    told = set(Notification.objects.for_target(case).values_list("user__username", flat=True))
    assert {"committee_member", "community_office", "street_office", "firm_staff"} <= told
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    with pytest.raises(Exception) as caught:  # dropped once
        takeover.exit_drop(actor=users["district_center"], case=case, reason="again")
    assert caught.type.__name__ == "DomainError"
    # a new exit of the same contract may be opened after a dropped one
    assert takeover.exit_open(actor=users["district_center"], contract=contract, reason=ExitCase.Reason.OWNERS)


@pytest.mark.django_db
def test_a_serious_incident_is_refused_for_a_firm_that_did_not_serve_the_compound(users, place, period, as_user):
    from properties.models import Firm

    other = Firm.objects.filter(district=place["district"]).exclude(pk=place["firm_id"]).exclude(
        contracts__compound=place["compound"]).order_by("pk").first()
    answer = as_user("street_office").post("/api/v1/rankings/incidents/", {
        "period": period.pk, "compound": place["compound"].pk, "firm": other.pk,
        "occurred_on": period.starts_on.isoformat(), "description": "电梯困人"}, format="json")
    assert answer.status_code == 400 and "firm" in answer.json(), answer.content
    answer = as_user("street_office").post("/api/v1/rankings/incidents/", {
        "period": period.pk, "compound": place["compound"].pk, "firm": place["firm_id"],
        "occurred_on": period.starts_on.isoformat(), "description": "电梯困人"}, format="json")
    assert answer.status_code == 201, answer.content


def _user_with(users, username, *grants):
    from django.contrib.auth import get_user_model

    from communities.services import role_grant

    user = get_user_model().objects.create_user(username=username)
    for role, node in grants:
        role_grant(actor=users["admin"], user=user, role=role, node=node)
    return user


@pytest.mark.django_db
def test_the_street_decision_is_the_street_office_s_over_the_compound_not_any_street_office_s(users, place):
    from communities.models import Role, Street
    from core.errors import DomainError

    # given a district centre who is also the office of another street
    compound = place["compound"]
    other_street = Street.objects.filter(district_id=compound.district_id).exclude(pk=compound.street_id).first()
    user = _user_with(users, "centre-and-other-street", (Role.DISTRICT_CENTER, place["district"]),
                      (Role.STREET_OFFICE, other_street))
    case = takeover.exit_open(actor=users["district_center"], contract=place["contract"],
                              reason=ExitCase.Reason.OWNERS)
    # when they record the street's fallback decision, then it is refused: it is not their street
    with pytest.raises(DomainError):
        takeover.exit_decide(actor=user, case=case, decision=ExitCase.Decision.STREET)
    assert takeover.exit_decide(actor=users["street_office"], case=case, decision=ExitCase.Decision.STREET)

