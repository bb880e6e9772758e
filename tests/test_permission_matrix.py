"""Every API list and detail route × every role: exactly the rows the role's scope holds, and 404 beyond."""

import pytest

from communities.models import Building, Community, Compound, District, Household, Person, Street
from tests.conftest import ROLE_LOGINS
from tests.oracle import expected

ROUTES = [
    ("districts", District),
    ("streets", Street),
    ("communities", Community),
    ("compounds", Compound),
    ("buildings", Building),
    ("households", Household),
    ("people", Person),
]


def _all_ids(client, route):
    ids, url = [], f"/api/v1/{route}/?page_size=200"
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
    got = _all_ids(client, route)
    assert got == want
    count = client.get(f"/api/v1/{route}/").json()["count"]
    assert count == len(want)

    # given one row inside and one outside the scope, when each is fetched, then 200 and 404
    outside = model.objects.exclude(pk__in=want).order_by("pk").first()
    assert outside is not None, "the demo must hold rows outside every scope"
    assert client.get(f"/api/v1/{route}/{outside.pk}/").status_code == 404
    if want:
        assert client.get(f"/api/v1/{route}/{min(want)}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _m in ROUTES] + ["me"])
def test_anonymous_gets_401(api, route):
    assert api.get(f"/api/v1/{route}/").status_code == 401


@pytest.mark.django_db
def test_scopes_differ_between_streets_and_districts(users):
    """The matrix means something only if the demo separates the logins."""
    streets = [expected(users[u], Compound) for u in ("street_office", "street_office_2")]
    assert streets[0] and streets[1] and not streets[0] & streets[1]
    assert not expected(users["district_org"], Compound) & expected(users["district_org_b"], Compound)
    assert expected(users["department_staff"], Compound) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["compounds", "households", "people"])
def test_writes_are_not_offered_through_the_read_api(as_user, route):
    client = as_user("district_org")
    assert client.post(f"/api/v1/{route}/", {"name": "x"}, format="json").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["districts", "streets", "communities", "compounds", "buildings", "households"])
def test_the_plain_list_writes_what_the_serializer_writes(as_user, route):
    """The hot-path lists skip the serializer; each row must equal the detail route's serialized row."""
    client = as_user("district_org")
    rows = client.get(f"/api/v1/{route}/?page_size=20").json()["results"]
    assert rows
    for row in rows:
        assert client.get(f"/api/v1/{route}/{row['id']}/").json() == row


@pytest.mark.django_db
@pytest.mark.parametrize("login", [*ROLE_LOGINS, "admin"])
def test_the_policys_answer_without_a_query_equals_its_filter(users, django_assert_num_queries, login):
    """`CompoundPolicy.sees` (asked of a loaded compound on the petition-record path) and `Scope.reaches` are
    the Python twins of `visible_q` and `subtree_q`: over every compound of both districts they must agree with
    the SQL filters and with the oracle, and ask nothing of the database."""
    from communities.policies import compound_policy
    from communities.scope import scope_for

    user = users[login]
    scope = scope_for(user)
    compounds = list(Compound.objects.all())
    visible = set(compound_policy.visible(user).values_list("pk", flat=True))
    subtree = set(Compound.objects.filter(scope.subtree_q("pk")).values_list("pk", flat=True))
    with django_assert_num_queries(0):
        sees = {c.pk for c in compounds if compound_policy.sees(scope, c)}
        reaches = {c.pk for c in compounds if scope.reaches(
            district_id=c.district_id, street_id=c.street_id, community_id=c.community_id, compound_id=c.pk)}
    assert sees == visible
    if login != "admin":
        assert sees == expected(user, Compound)
    assert reaches == subtree
    assert 0 < len(compounds)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_the_reach_of_each_role_assignment_equals_its_filter(users, django_assert_num_queries, login):
    """`assignment_reaches` (the one reach test, through `Scope.reaching`) and `reach_q`, its filter, agree
    for each of the user's role assignments over every household of both districts, and ask nothing of the
    database; a hierarchy assignment reaches exactly the households of its node's subtree."""
    from communities.models import ROLE_SCOPE_FIELD
    from communities.policy import node_ids
    from communities.scope import assignment_reaches, reach_q, scope_for

    scope = scope_for(users[login])
    households = list(Household.objects.all())
    for a in scope.assignments:
        with django_assert_num_queries(0):
            reached = {h.pk for h in households if assignment_reaches(a, node_ids(h))}
            assert reached == {h.pk for h in households if a in scope.reaching(node_ids(h), roles={a.role})}
        if ROLE_SCOPE_FIELD[a.role] in ("district", "street", "community", "compound"):
            assert reached == set(Household.objects.filter(reach_q([a])).values_list("pk", flat=True))
            assert reached
        else:
            assert reached == set()  # a firm or a department is no node of the hierarchy


# --- the residents' portal: the routes of the similar-report check, the "me" page and the ballot's confirmation --

@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_portal_routes_for_every_role(client, users, login):
    """`me` is everyone's own page; the similar-report check is for residents (staff without a home: 403); the
    confirmation of a ballot shows only votes the user may see (404 beyond), and only eligible voters may cast."""
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from communities.scope import scope_for
    from governance.models import Ballot, Vote
    from governance.policies import vote_policy

    user = users[login]
    client.force_login(user)
    assert client.get(reverse("portal:me")).status_code == 200
    similar = client.get(reverse("portal:petition_similar"))
    assert similar.status_code == (200 if scope_for(user).own_compound_ids else 403)

    vote = Vote.objects.filter(status=Vote.Status.OPEN).order_by("pk").first()
    Vote.objects.filter(pk=vote.pk).update(deadline=timezone.now() + datetime.timedelta(days=3))
    visible = vote_policy.visible(user).filter(pk=vote.pk).exists()
    confirm = client.get(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "approve"})
    assert confirm.status_code == (200 if visible else 404)
    cast = client.post(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "approve"})
    assert cast.status_code == (302 if visible else 404)
    eligible = vote.voters.filter(person__user=user).exists()
    # the demo's open vote leaves the resident's ballot to them: cast now if and only if eligible
    assert Ballot.objects.filter(vote=vote, voter__person__user=user).exists() == (eligible and visible)


@pytest.mark.django_db
def test_portal_routes_ask_anonymous_users_to_log_in(client):
    from django.urls import reverse

    for url in (reverse("portal:me"), reverse("portal:petition_similar"), reverse("portal:vote_cast", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


# --- the dashboards: every page, export and data route × every login ----------------------------------------------

DASHBOARD_ROUTES = ["overview", "screen", "screen_data", "map", "export"]


def _dashboard_nodes():
    """Nodes of both districts at every level: each login must reach some and be refused others."""
    from communities.models import RoleAssignment

    nodes = [("district", d) for d in District.objects.order_by("pk")]
    for model, level in ((Street, "street"), (Community, "community"), (Compound, "compound")):
        held = set(RoleAssignment.objects.exclude(**{f"{level}__isnull": True}).values_list(f"{level}_id", flat=True))
        rows = list(model.objects.filter(pk__in=held).order_by("pk")) + list(
            model.objects.exclude(pk__in=held).order_by("pk")[:1])
        nodes += [(level, n) for n in rows]
    return nodes


def _dashboard_oracle(user, level, node) -> bool:
    """Whether the login reads the node's figures, from roles.md: the offices their subtree, a commissioner its
    compounds; nobody else. Worked out from the role rows, not through the scope."""
    from communities.models import Role, RoleAssignment

    ids = {"district": node.pk if level == "district" else node.district_id,
           "street": node.pk if level == "street" else getattr(node, "street_id", None),
           "community": node.pk if level == "community" else getattr(node, "community_id", None),
           "compound": node.pk if level == "compound" else None}
    for a in RoleAssignment.objects.filter(user=user):
        if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER) and a.district_id == ids["district"]:
            return True
        if a.role == Role.STREET_OFFICE and a.street_id == ids["street"]:
            return True
        if a.role == Role.COMMUNITY_OFFICE and a.community_id == ids["community"]:
            return True
        if a.role == Role.COMMISSIONER and a.compound_id == ids["compound"]:
            return True
    return False


def _dashboard_url(route, level, pk):
    from django.urls import reverse

    if route == "export":
        return reverse("dashboards:export", args=[level, pk, "complaints"]) + "?period=year"
    return reverse(f"dashboards:{route}", args=[level, pk]) + "?period=year"


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_dashboard_routes_for_every_role(client, users, login):
    """Every dashboard page, export and data route: 200 for a node the login reads, 404 beyond (the same as a node
    that does not exist)."""
    client.force_login(users[login])
    seen = refused = 0
    for level, node in _dashboard_nodes():
        want = 200 if _dashboard_oracle(users[login], level, node) else 404
        for route in DASHBOARD_ROUTES:
            response = client.get(_dashboard_url(route, level, node.pk))
            assert response.status_code == want, (route, level, node.pk)
        seen += want == 200
        refused += want == 404
    assert refused, "every login must be refused some node"
    for route in DASHBOARD_ROUTES:
        assert client.get(_dashboard_url(route, "street", 10**9)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("login,want", [
    ("district_org", "district"), ("district_center", "district"), ("district_org_b", "district"),
    ("street_office", "street"), ("street_office_2", "street"), ("community_office", "community"),
])
def test_the_offices_land_on_their_dashboard(client, users, login, want):
    from django.urls import reverse

    client.force_login(users[login])
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url == reverse("dashboards:home")
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url.startswith(f"/dashboards/{want}/")
    page = client.get(landing.url)
    assert page.status_code == 200
    assert reverse("admin:index").encode() in page.content  # the admin one click away


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["resident", "resident_2", "firm_staff", "department_staff", "committee_member"])
def test_others_keep_their_start_page_and_have_no_dashboard(client, users, login):
    from django.urls import reverse

    from communities.scope import scope_for

    client.force_login(users[login])
    response = client.get(reverse("portal:home"))
    if scope_for(users[login]).own_compound_ids:
        assert response.status_code == 200  # residents land on the portal
    else:
        assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("dashboards:home")).status_code == 403


@pytest.mark.django_db
def test_anonymous_users_are_asked_to_log_in_on_every_dashboard_route(client):
    node = District.objects.order_by("pk").first()
    for route in DASHBOARD_ROUTES:
        response = client.get(_dashboard_url(route, "district", node.pk))
        assert response.status_code == 302 and "/login/" in response.url


def _sheet_rows(response):
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row for row in sheet.iter_rows(min_row=5, values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("login,level", [("district_org", "district"), ("district_org_b", "district"),
                                         ("street_office", "street"), ("street_office_2", "street"),
                                         ("community_office", "community")])
def test_the_exports_hold_exactly_the_logins_children(client, users, login, level):
    """The ranking's Excel lists the children of the login's own node, and nothing of another's."""
    from django.urls import reverse

    from communities.models import RoleAssignment

    assignment = RoleAssignment.objects.filter(user=users[login]).order_by("pk").first()
    pk = getattr(assignment, f"{level}_id")
    client.force_login(users[login])
    rows = _sheet_rows(client.get(reverse("dashboards:export", args=[level, pk, "children"]) + "?period=year"))
    names = {row[1] for row in rows}
    child_model, field = {"district": (Street, "district_id"), "street": (Community, "street_id"),
                          "community": (Compound, "community_id")}[level]
    assert names == set(child_model.objects.filter(**{field: pk}).values_list("name", flat=True))
    others = set(child_model.objects.exclude(**{field: pk}).values_list("name", flat=True)) - names
    assert others, "the demo must hold children of other nodes"
    firms = _sheet_rows(client.get(reverse("dashboards:export", args=[level, pk, "firms"]) + "?period=year"))
    from properties.models import Contract

    serving = set(Contract.objects.filter(status="active", **{f"compound__{level}_id": pk})
                  .values_list("firm__name", flat=True))
    assert {row[0] for row in firms} == serving
