"""Every governance list and detail route × every role: exactly the rows roles.md gives the role, 404 beyond.

The oracle below works from the rows in plain Python (reusing the foundation's compound oracle), independent
of the policies' SQL."""

import pytest

from communities.models import Community, Compound, Role, RoleAssignment
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    Candidate,
    Meeting,
    PartyOrganization,
    SupervisoryRecord,
    Vetting,
    Vote,
)
from tests.conftest import ROLE_LOGINS
from tests.oracle import expected as foundation_expected

ROUTES = [
    ("party-organizations", PartyOrganization),
    ("bodies", Body),
    ("members", BodyMember),
    ("candidates", Candidate),
    ("vettings", Vetting),
    ("meetings", Meeting),
    ("items", AgendaItem),
    ("votes", Vote),
    ("records", SupervisoryRecord),
]


def _staff_compounds(user) -> set[int]:
    """Compounds reached by an office's subtree or a personal compound role (not a firm, not a home)."""
    out = set()
    for a in RoleAssignment.objects.filter(user=user):
        rows = Compound.objects.values_list("pk", "district_id", "street_id", "community_id")
        if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER):
            out |= {pk for pk, d, _s, _c in rows if d == a.district_id}
        elif a.role == Role.STREET_OFFICE:
            out |= {pk for pk, _d, s, _c in rows if s == a.street_id}
        elif a.role == Role.COMMUNITY_OFFICE:
            out |= {pk for pk, _d, _s, c in rows if c == a.community_id}
        elif a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER):
            out.add(a.compound_id)
    return out


def expected(user, model) -> set[int]:
    compounds = foundation_expected(user, Compound)
    if model is PartyOrganization:
        communities = foundation_expected(user, Community)
        return {
            o.pk for o in PartyOrganization.objects.all()
            if (o.compound_id is None and o.community_id in communities) or o.compound_id in compounds
        }
    if model is BodyMember:
        return {m.pk for m in BodyMember.objects.select_related("body") if m.body.compound_id in compounds}
    departments = set(RoleAssignment.objects.filter(user=user, role=Role.DEPARTMENT_STAFF)
                      .values_list("department_id", flat=True))
    if model is Candidate:
        staff = _staff_compounds(user)
        asked = set(Vetting.objects.filter(department_id__in=departments).values_list("candidate_id", flat=True))
        return {c.pk for c in Candidate.objects.all() if c.compound_id in staff or c.pk in asked}
    if model is Vetting:
        staff = _staff_compounds(user)
        return {v.pk for v in Vetting.objects.select_related("candidate")
                if v.candidate.compound_id in staff or v.department_id in departments}
    return {row.pk for row in model.objects.all() if row.compound_id in compounds}


def _all_ids(client, route):
    ids, url = [], f"/api/v1/governance/{route}/?page_size=200"
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
    assert client.get(f"/api/v1/governance/{route}/{outside.pk}/").status_code == 404
    if want:
        assert client.get(f"/api/v1/governance/{route}/{min(want)}/").status_code == 200


@pytest.mark.django_db
def test_the_matrix_separates_the_roles(users):
    """Residents and firms see votes but not candidates; departments see only what they were asked."""
    assert expected(users["resident"], Vote) and not expected(users["resident"], Candidate)
    assert expected(users["firm_staff"], Meeting) and not expected(users["firm_staff"], Candidate)
    assert expected(users["department_staff"], Vetting) and not expected(users["department_staff"], Vote)
    assert not expected(users["district_org"], Vote) & expected(users["district_org_b"], Vote)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _m in ROUTES] + ["coverage"])
def test_anonymous_gets_401(api, route):
    assert api.get(f"/api/v1/governance/{route}/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["bodies", "members", "meetings", "records", "candidates"])
def test_writes_are_not_offered_through_the_read_api(as_user, route):
    assert as_user("district_org").post(f"/api/v1/governance/{route}/", {}, format="json").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("route,model", [("votes", Vote), ("candidates", Candidate), ("vettings", Vetting),
                                         ("members", BodyMember)])
def test_lists_take_a_fixed_number_of_queries(as_user, django_assert_max_num_queries, route, model):
    client = as_user("district_org")
    with django_assert_max_num_queries(12):
        small = client.get(f"/api/v1/governance/{route}/?page_size=5")
    with django_assert_max_num_queries(12):
        large = client.get(f"/api/v1/governance/{route}/?page_size=200")
    assert small.status_code == large.status_code == 200
    assert len(large.json()["results"]) >= len(small.json()["results"])
