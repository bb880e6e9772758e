"""Every properties and rankings list and detail route × every login: exactly the rows roles.md gives the role
(worked out here from the rows in plain Python, independent of the policies' SQL), 404 beyond, 401 anonymous."""

import pytest

from communities.models import Compound, Residency, Role, RoleAssignment
from properties.models import Contract, FallbackAssignment, Firm, ServiceMenuItem
from rankings.models import (
    Appeal,
    Appraisal,
    EvaluationRules,
    ExitCase,
    FirmResult,
    Incident,
    Period,
    Review,
    Score,
    Stars,
    Talk,
)
from tests.conftest import ROLE_LOGINS
from tests.oracle import expected as foundation_expected
from tests.test_permission_matrix import _all_ids

ROUTES = [
    ("properties/firms", Firm),
    ("properties/contracts", Contract),
    ("properties/menu-items", ServiceMenuItem),
    ("properties/fallback-assignments", FallbackAssignment),
    ("rankings/rules", EvaluationRules),
    ("rankings/periods", Period),
    ("rankings/results", FirmResult),
    ("rankings/scores", Score),
    ("rankings/reviews", Review),
    ("rankings/appraisals", Appraisal),
    ("rankings/incidents", Incident),
    ("rankings/appeals", Appeal),
    ("rankings/talks", Talk),
    ("rankings/stars", Stars),
    ("rankings/exits", ExitCase),
]


def _who(user):
    roles = list(RoleAssignment.objects.filter(user=user))
    homes = list(Residency.objects.filter(person__user=user).select_related("household"))
    tenants = {a.district_id for a in roles} | {r.household.district_id for r in homes}
    return {
        "staff": bool(roles),
        "tenants": tenants,
        "districts": {a.district_id for a in roles if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER)},
        "streets": {a.street_id for a in roles if a.role == Role.STREET_OFFICE},
        "communities": {a.community_id for a in roles if a.role == Role.COMMUNITY_OFFICE},
        "compounds": {a.compound_id for a in roles if a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER)},
        "firms": {a.firm_id for a in roles if a.role == Role.FIRM_STAFF},
    }


def _offices(w, district, street, community, compound) -> bool:
    return (district in w["districts"] or street in w["streets"] or community in w["communities"]
            or compound in w["compounds"])


def expected(user, model) -> set[int]:
    w = _who(user)
    if model in (Firm, ServiceMenuItem, Stars):
        return {r.pk for r in model.objects.all() if r.district_id in w["tenants"]}
    if model is EvaluationRules:
        return {r.pk for r in EvaluationRules.objects.all() if w["staff"] and r.district_id in w["tenants"]}
    if model is Period:
        return {r.pk for r in Period.objects.all() if r.district_id in w["tenants"]}
    if model is FirmResult:  # every list is published in the demo but the open quarter, which has no results
        return {r.pk for r in FirmResult.objects.select_related("period")
                if r.period.district_id in w["tenants"] or r.firm_id in w["firms"]}
    if model is Score:
        return {r.pk for r in Score.objects.all() if w["staff"] and (
            _offices(w, r.district_id, r.street_id, r.community_id, r.compound_id) or r.firm_id in w["firms"])}
    if model is Review:
        return {r.pk for r in Review.objects.select_related("period") if w["staff"]
                and r.period.district_id in w["tenants"]}
    if model in (Appraisal, Incident):
        compounds = foundation_expected(user, Compound) if w["staff"] else set()
        return {r.pk for r in model.objects.all() if r.compound_id in compounds or r.firm_id in w["firms"]}
    if model in (Appeal, Talk):
        return {r.pk for r in model.objects.select_related("period")
                if r.period.district_id in w["districts"] or r.firm_id in w["firms"]}
    if model is Contract:  # the offices over the compound, its committee and commissioner, residents (as the
        # compound's policy lets them see it), and the firm its own contracts
        compounds = foundation_expected(user, Compound)
        return {r.pk for r in Contract.objects.all()
                if r.district_id in w["tenants"] and (r.compound_id in compounds or r.firm_id in w["firms"])}
    if model is FallbackAssignment:
        compounds = foundation_expected(user, Compound) if w["staff"] else set()
        return {r.pk for r in model.objects.all() if r.compound_id in compounds}
    if model is ExitCase:
        return {r.pk for r in ExitCase.objects.all()
                if (w["staff"] and _offices(w, r.district_id, r.street_id, r.community_id, r.compound_id))
                or r.firm_id in w["firms"] or r.incoming_firm_id in w["firms"]}
    raise AssertionError(model)


@pytest.mark.django_db
@pytest.mark.parametrize("route,model", ROUTES, ids=[r for r, _m in ROUTES])
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_role_sees_exactly_its_scope(as_user, users, login, route, model):
    client = as_user(login)
    want = expected(users[login], model)
    assert _all_ids(client, route) == want
    outside = model.objects.exclude(pk__in=want).order_by("pk").first()
    assert outside is not None, "the demo must hold rows outside every scope"
    assert client.get(f"/api/v1/{route}/{outside.pk}/").status_code == 404
    if want:
        assert client.get(f"/api/v1/{route}/{min(want)}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _m in ROUTES] + ["rankings/survey", "properties/zeroing"])
def test_anonymous_gets_401(api, route):
    assert api.get(f"/api/v1/{route}/").status_code == 401


@pytest.mark.django_db
def test_the_matrix_separates_the_logins(users):
    """Rows in every route, and the firm, the street and the resident see different things."""
    for _route, model in ROUTES:
        assert model.objects.exists(), model
    assert expected(users["firm_staff"], Score) != expected(users["street_office"], Score)
    assert not expected(users["resident"], Score) and expected(users["resident"], FirmResult)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["rankings/results", "rankings/scores", "rankings/exits", "properties/firms",
                                   "properties/menu-items"])
def test_a_list_costs_the_same_queries_whatever_the_page_size(as_user, route, django_assert_max_num_queries):
    client = as_user("district_center")
    client.get(f"/api/v1/{route}/?page_size=1")  # warm the scope's statement
    with django_assert_max_num_queries(6):
        assert client.get(f"/api/v1/{route}/?page_size=200").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_the_exit_drop_door_for_every_login(as_user, users, login, place):
    """POST exits/{id}/drop/: the district centre and the street office over the compound drop; whoever else
    sees the exit gets 403, everyone else 404."""
    from rankings import takeover

    ExitCase.objects.filter(contract=place["contract"]).delete()
    case = takeover.exit_open(actor=users["district_center"], contract=place["contract"],
                              reason=ExitCase.Reason.OWNERS)
    answer = as_user(login).post(f"/api/v1/rankings/exits/{case.pk}/drop/", {"reason": "业主决定续聘"},
                                 format="json")
    if login in ("district_center", "street_office"):
        want = 200
    else:
        want = 403 if case.pk in expected(users[login], ExitCase) else 404
    assert answer.status_code == want, answer.content
