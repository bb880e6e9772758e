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
