"""The strength index's routes × every demo login: the page of a node, a compound's page, the indicators page,
the API's list, detail, indicators and compute — each against an oracle worked out from roles.md in plain Python
(the offices see their subtree, the compound's commissioner and committee members their compound, nobody else
anything), and 404 outside."""

import pytest

from communities.models import Compound, Role, RoleAssignment
from dashboards.models import StrengthIndicator, StrengthScore, StrengthWeight
from tests.conftest import ROLE_LOGINS

pytestmark = pytest.mark.django_db
OFFICES = {Role.DISTRICT_ORG: "district", Role.DISTRICT_CENTER: "district", Role.STREET_OFFICE: "street",
           Role.COMMUNITY_OFFICE: "community"}


def oracle(user) -> tuple[set[int], list[tuple[str, int]]]:
    """(compound ids the user's index reaches, the office nodes they hold)."""
    compounds, nodes = set(), []
    for a in RoleAssignment.objects.filter(user=user):
        if a.role in OFFICES:
            level = OFFICES[a.role]
            node_id = getattr(a, f"{level}_id")
            nodes.append((level, node_id))
            compounds |= set(Compound.objects.filter(**{f"{level}_id": node_id}).values_list("pk", flat=True))
        elif a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER):
            compounds.add(a.compound_id)
    return compounds, nodes


def _latest(compound_ids=None):
    qs = StrengthScore.objects.all() if compound_ids is None else StrengthScore.objects.filter(
        compound_id__in=compound_ids)
    return qs.order_by("-on").values_list("on", flat=True).first()


@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_pages_answer_inside_the_scope_and_404_outside(client, users, login):
    user = users[login]
    client.force_login(user)
    compounds, nodes = oracle(user)
    outside = Compound.objects.exclude(pk__in=compounds).order_by("pk").first()
    assert client.get(f"/dashboards/strength/compound/{outside.pk}/").status_code == 404
    for level, model_field in (("district", "district_id"), ("street", "street_id"), ("community", "community_id")):
        node_id = getattr(outside, model_field)
        held = (level, node_id) in nodes or any(
            lvl == "district" and nid == outside.district_id for lvl, nid in nodes) or any(
            lvl == "street" and nid == outside.street_id and level == "community" for lvl, nid in nodes)
        if not held:
            assert client.get(f"/dashboards/strength/{level}/{node_id}/").status_code == 404
    for level, node_id in nodes:
        response = client.get(f"/dashboards/strength/{level}/{node_id}/")
        assert response.status_code == 200
        listed = {row["score"].compound_id for row in response.context["rows"]}
        assert listed == set(Compound.objects.filter(**{f"{level}_id": node_id}).values_list("pk", flat=True))
    if compounds:
        inside = min(compounds)
        assert client.get(f"/dashboards/strength/compound/{inside}/").status_code == 200
        assert client.get("/dashboards/strength/").status_code == 302
        assert client.get("/dashboards/strength/indicators/").status_code == 200
    else:
        assert client.get("/dashboards/strength/").status_code == 404
        assert client.get("/dashboards/strength/indicators/").status_code == 404
    assert client.get("/dashboards/strength/galaxy/1/").status_code == 404


@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_the_api_lists_exactly_the_scope(as_user, users, login):
    client = as_user(login)
    compounds, _nodes = oracle(users[login])
    day = _latest()
    seen, url = set(), f"/api/v1/dashboards/strength/?on={day}&page_size=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen |= {row["compound"] for row in response.json()["results"]}
        url = response.json()["next"]
    assert seen == compounds & set(StrengthScore.objects.filter(on=day).values_list("compound_id", flat=True))
    outside = StrengthScore.objects.exclude(compound_id__in=compounds).order_by("pk").first()
    assert client.get(f"/api/v1/dashboards/strength/{outside.pk}/").status_code == 404
    if compounds:
        inside = StrengthScore.objects.filter(compound_id__in=compounds).order_by("pk").first()
        assert client.get(f"/api/v1/dashboards/strength/{inside.pk}/").status_code == 200


@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_only_the_district_organization_department_computes_its_district(as_user, users, login):
    client = as_user(login)
    user = users[login]
    own = RoleAssignment.objects.filter(user=user).values_list("district_id", flat=True).first()
    other = StrengthScore.objects.exclude(district_id=own).values_list("district_id", flat=True).first()
    assert client.post("/api/v1/dashboards/strength/compute/", {"district": other}, format="json").status_code \
        == 404 if own else True
    if own is None:
        return
    response = client.post("/api/v1/dashboards/strength/compute/", {"district": own}, format="json")
    assert response.status_code == (201 if RoleAssignment.objects.filter(
        user=user, role=Role.DISTRICT_ORG).exists() else 403)


def test_bad_input_is_a_400(as_user):
    client = as_user("district_org")
    assert client.post("/api/v1/dashboards/strength/compute/", {"district": "x"}, format="json").status_code == 400
    assert client.post("/api/v1/dashboards/strength/compute/", {}, format="json").status_code == 400
    assert client.get("/api/v1/dashboards/strength/indicators/?district=x").status_code == 400


def test_anonymous_gets_401_and_a_login_page(api, client):
    assert api.get("/api/v1/dashboards/strength/").status_code == 401
    assert api.get("/api/v1/dashboards/strength/indicators/").status_code == 401
    assert client.get("/dashboards/strength/").status_code == 302


def test_the_indicators_route_documents_every_indicator(as_user):
    rows = as_user("district_org").get("/api/v1/dashboards/strength/indicators/").json()
    assert len(rows) >= 18 and all(r["definition"] and r["source"] and r["direction"] for r in rows)
    assert as_user("resident").get("/api/v1/dashboards/strength/indicators/").status_code == 404


def test_the_routes_are_in_the_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    assert {"/api/v1/dashboards/strength/", "/api/v1/dashboards/strength/{id}/",
            "/api/v1/dashboards/strength/indicators/", "/api/v1/dashboards/strength/compute/"} <= set(schema["paths"])


def test_the_node_page_takes_a_fixed_number_of_queries(client, users, django_assert_max_num_queries):
    client.force_login(users["district_org"])
    district_id = RoleAssignment.objects.get(user=users["district_org"]).district_id
    with django_assert_max_num_queries(20) as captured:
        assert client.get(f"/dashboards/strength/district/{district_id}/").status_code == 200
    small = len(captured.captured_queries)
    community = Compound.objects.filter(district_id=district_id).first().community
    for i in range(5):
        Compound.objects.create(community=community, name=f"Q{i}")
    from dashboards.strength import services

    services.strength_compute(district=community.district, on=_latest())
    with django_assert_max_num_queries(small):
        assert client.get(f"/dashboards/strength/district/{district_id}/").status_code == 200
    client.force_login(users["commissioner"])
    compound_id = RoleAssignment.objects.get(user=users["commissioner"]).compound_id
    with django_assert_max_num_queries(20):
        assert client.get(f"/dashboards/strength/compound/{compound_id}/").status_code == 200


def test_the_admin_is_scoped(client, users):
    client.force_login(users["street_office"])
    compounds, _nodes = oracle(users["street_office"])
    response = client.get("/admin/dashboards/strengthscore/?all=")
    assert response.status_code == 200
    shown = {r.compound_id for r in response.context["cl"].result_list}
    assert shown and shown <= compounds
    outside = StrengthScore.objects.exclude(compound_id__in=compounds).first()
    assert client.get(f"/admin/dashboards/strengthscore/{outside.pk}/change/").status_code == 404
    client.force_login(users["district_org"])
    assert client.get("/admin/dashboards/strengthweight/add/").status_code == 200


def test_the_admin_refuses_all_zero_weights_beside_the_field(client, users):
    district_id = RoleAssignment.objects.get(user=users["district_org"]).district_id
    for code in StrengthIndicator.values:
        if code != "survey":
            StrengthWeight.objects.create(district_id=district_id, indicator=code, weight=0)
    client.force_login(users["district_org"])
    response = client.post("/admin/dashboards/strengthweight/add/",
                           {"district": district_id, "indicator": "survey", "weight": "0"})
    assert response.status_code == 200 and response.context["adminform"].form.errors["weight"]
    assert not StrengthWeight.objects.filter(district_id=district_id, indicator="survey").exists()
    response = client.post("/admin/dashboards/strengthweight/add/",
                           {"district": district_id, "indicator": "survey", "weight": "5"})
    assert response.status_code == 302
    assert StrengthWeight.objects.get(district_id=district_id, indicator="survey").weight == 5
