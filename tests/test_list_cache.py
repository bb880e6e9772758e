"""Cached pages of the compounds list (communities/listcache.py, ADR 0013): every write that changes what a user
may see shows at once, and nobody is ever answered with a page kept for another filter.

The pages are kept in the configured cache — Redis wherever REDIS_URL is set, as in CI and production — and the
version they are keyed by lives in PostgreSQL (a trigger on the compounds table), so these tests run there.
Requests authenticate by token, as API clients do: each request has a fresh user, so nothing survives on the user
object between requests."""

import datetime
import os

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm, remove_perm
from rest_framework.test import APIClient

from communities import listcache
from communities.models import Community, Compound, Role, RoleAssignment
from communities.policies import compound_policy
from communities.scope import COMPOUND_PERMISSION
from communities.services import role_grant, role_revoke
from core.tokens import issue_token
from properties.models import Contract, Firm
from properties.services import contract_save

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

User = get_user_model()
URL = "/api/v1/compounds/?page_size=200"
LOGINS = ["district_org", "district_center", "street_office", "street_office_2", "community_office",
          "commissioner", "committee_member", "firm_staff", "department_staff", "resident", "resident_2",
          "district_org_b"]


@pytest.fixture(autouse=True)
def list_cache_on(settings):
    settings.API_LIST_CACHE_SECONDS = 300
    settings.API_TOKEN_CACHE_SECONDS = 300


def test_the_pages_are_kept_in_redis_where_redis_is_configured():
    if os.environ.get("REDIS_URL"):
        from django.core.cache import caches
        from django.core.cache.backends.redis import RedisCache

        assert isinstance(caches["default"], RedisCache)  # config.cache.RedisCache: Django's, one client per pool


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user).key}")
    return client


def _get(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def _visible(username) -> set[int]:
    return set(compound_policy.visible(User.objects.get(username=username)).values_list("pk", flat=True))


def test_a_second_request_is_answered_from_the_cache_with_the_same_answer(users):
    client = _client(users["street_office"])
    client.get("/api/v1/me/")  # the token's first use reads it from the database; later ones find it cached
    first, miss_queries = _get(client)
    second, hit_queries = _get(client)
    # The scope statement (which also reads the table's version), then the page; a kept page needs the first only.
    assert (miss_queries, hit_queries) == (2, 1)
    assert second.content == first.content
    for header in ("Content-Type", "Vary", "Allow"):
        assert second.headers.get(header) == first.headers.get(header), header
    assert _ids(second) == _visible("street_office")


def test_the_cached_answer_equals_the_uncached_one(users, settings):
    client = _client(users["community_office"])
    client.get(URL)
    kept = client.get(URL)
    settings.API_LIST_CACHE_SECONDS = 0
    fresh = client.get(URL)
    assert kept.content == fresh.content
    assert kept.headers["Content-Type"] == fresh.headers["Content-Type"]


def test_every_login_sees_its_own_rows_whatever_was_kept_before(users):
    """Warm the cache for every login, twice in different orders: each answer is that login's visible set."""
    for order in (LOGINS, list(reversed(LOGINS))):
        for username in order:
            response = _client(users[username]).get(URL)
            assert _ids(response) == _visible(username), username


def test_a_compound_edit_shows_at_once(users):
    client = _client(users["street_office"])
    compound = Compound.objects.get(pk=min(_ids(client.get(URL))))
    compound.name = "改名后的小区"
    compound.save()
    response, queries = _get(client)
    assert queries == 2  # not the kept page
    assert {r["id"]: r["name"] for r in response.json()["results"]}[compound.pk] == "改名后的小区"


def test_a_write_by_raw_sql_and_without_triggers_of_replicas_shows_at_once(users):
    """The version is the database's: a bulk UPDATE, raw SQL, even session_replication_role = replica (the bulk
    loads' mode) change it."""
    client = _client(users["street_office"])
    compound_id = min(_ids(client.get(URL)))
    Compound.objects.filter(pk=compound_id).update(household_count=4321)
    assert {r["id"]: r["household_count"] for r in client.get(URL).json()["results"]}[compound_id] == 4321
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute("UPDATE communities_compound SET household_count = 1234 WHERE id = %s", [compound_id])
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    assert {r["id"]: r["household_count"] for r in client.get(URL).json()["results"]}[compound_id] == 1234


def test_a_new_and_a_deleted_compound_show_at_once(users):
    client = _client(users["community_office"])
    before = _ids(client.get(URL))
    community_id = RoleAssignment.objects.get(user=users["community_office"]).community_id
    added = Compound.objects.create(community=Community.objects.get(pk=community_id), name="新建小区")
    assert _ids(client.get(URL)) == before | {added.pk}
    added.delete()
    assert _ids(client.get(URL)) == before


def test_a_role_grant_and_its_revoke_show_at_once(users):
    newcomer = User.objects.create_user("newcomer", password="x-very-long-pass")
    client = _client(newcomer)
    assert _ids(client.get(URL)) == set()
    compound_id = min(_visible("street_office"))
    grant = role_grant(actor=users["street_office"], user=newcomer, role=Role.COMMISSIONER,
                       node=Compound.objects.get(pk=compound_id))
    assert _ids(client.get(URL)) == {compound_id}
    role_revoke(actor=users["street_office"], assignment=grant)  # ends the user's tokens too
    client = _client(User.objects.get(pk=newcomer.pk))
    assert _ids(client.get(URL)) == set()


def test_a_subtree_role_changes_the_page_at_once_and_the_old_page_stays_the_old_scopes(users):
    """A community office made street office too: its page grows at once; another community office of the same
    community, whose filter is the old one, still gets the old page."""
    office = users["community_office"]
    twin = User.objects.create_user("twin_office", password="x-very-long-pass")
    mine = RoleAssignment.objects.get(user=office)
    RoleAssignment.objects.create(user=twin, role=Role.COMMUNITY_OFFICE, district_id=mine.district_id,
                                  community_id=mine.community_id)
    office_client, twin_client = _client(office), _client(twin)
    old = _ids(office_client.get(URL))
    assert _ids(twin_client.get(URL)) == old
    street_id = Community.objects.get(pk=mine.community_id).street_id
    RoleAssignment.objects.create(user=office, role=Role.STREET_OFFICE, district_id=mine.district_id,
                                  street_id=street_id)
    grown = _ids(office_client.get(URL))
    assert grown == set(Compound.objects.filter(street_id=street_id).values_list("pk", flat=True)) > old
    assert _ids(twin_client.get(URL)) == old


def test_a_guardian_grant_and_its_removal_show_at_once(users):
    commissioner = users["commissioner"]
    client = _client(commissioner)
    before = _ids(client.get(URL))
    other = Compound.objects.filter(district_id=RoleAssignment.objects.get(user=commissioner).district_id).exclude(
        pk__in=before).first()
    assign_perm(COMPOUND_PERMISSION, commissioner, other)
    assert _ids(client.get(URL)) == before | {other.pk}
    remove_perm(COMPOUND_PERMISSION, commissioner, other)
    assert _ids(client.get(URL)) == before


def test_a_firm_contract_signed_and_ended_shows_at_once(users):
    client = _client(users["firm_staff"])
    before = _ids(client.get(URL))
    firm = Firm.objects.get(pk=users["firm_staff"].role_assignments.get().firm_id)
    compound = Compound.objects.filter(district_id=firm.district_id, contracts__isnull=True).first()
    contract = Contract(firm=firm, compound=compound, starts_on=datetime.date(2026, 1, 1), status="active")
    contract_save(actor=users["district_center"], contract=contract)
    assert _ids(client.get(URL)) == before | {compound.pk}
    contract.status = Contract.Status.ENDED
    contract_save(actor=users["district_center"], contract=contract)
    assert _ids(client.get(URL)) == before


def test_a_user_deactivated_sees_nothing_kept(users):
    user = users["street_office"]
    client = _client(user)
    assert _ids(client.get(URL))
    user.is_active = False
    user.save()
    assert client.get(URL).status_code == 401


def test_pages_filters_and_hosts_are_kept_apart(users, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver.example"]
    client = _client(users["district_org"])
    page1 = client.get("/api/v1/compounds/?page_size=5")
    page2 = client.get("/api/v1/compounds/?page_size=5&page=2")
    assert _ids(page1).isdisjoint(_ids(page2))
    street_id = Compound.objects.filter(pk__in=_ids(page1)).values_list("street_id", flat=True).first()
    filtered = client.get(f"/api/v1/compounds/?page_size=200&street={street_id}")
    assert all(row["street"] == street_id for row in filtered.json()["results"])
    other_host = client.get("/api/v1/compounds/?page_size=5", HTTP_HOST="testserver.example")
    assert other_host.json()["next"].startswith("http://testserver.example/")
    assert client.get("/api/v1/compounds/?page_size=5").json()["next"].startswith("http://testserver/")


def test_errors_and_the_browsable_api_are_not_kept(users):
    client = _client(users["district_org"])
    assert client.get("/api/v1/compounds/?street=abc").status_code == 400
    assert client.get("/api/v1/compounds/?street=abc").status_code == 400
    assert client.get("/api/v1/compounds/?page=999").status_code == 404
    html = client.get("/api/v1/compounds/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert client.get("/api/v1/compounds/").headers["Content-Type"] == "application/json"


def test_a_superuser_is_never_answered_from_the_cache(users):
    client = _client(users["admin"])
    client.get(URL)
    _response, queries = _get(client)
    assert queries >= 2


def test_the_key_holds_the_policy_filter_and_refuses_what_it_cannot_write_out():
    assert listcache.canonical(Q(pk__in={3, 1, 2})) == listcache.canonical(Q(pk__in=frozenset({2, 3, 1})))
    assert listcache.canonical(Q(pk__in={1}) | Q(street_id__in={2})) != listcache.canonical(
        Q(pk__in={2}) | Q(street_id__in={1}))
    assert listcache.canonical(~Q(pk=1)) != listcache.canonical(Q(pk=1))
    for unkeyable in (Q(pk__in=Compound.objects.values("pk")), Q(pk=F("street_id"))):
        with pytest.raises(listcache._Unkeyable):
            listcache.canonical(unkeyable)


def test_a_filter_with_a_subquery_is_not_cached(users, monkeypatch):
    """Should the compounds' policy one day filter by a subquery, its pages are simply not kept."""
    from communities.policies import CompoundPolicy

    original = CompoundPolicy.visible_q
    nothing = Q(pk__in=Compound.objects.filter(pk__lt=0).values("pk"))
    monkeypatch.setattr(CompoundPolicy, "visible_q", lambda self, scope: original(self, scope) & ~nothing)
    client = _client(users["street_office"])
    client.get(URL)
    response, queries = _get(client)
    assert queries == 2
    assert _ids(response) == _visible("street_office")


def test_the_version_changes_with_every_committed_write_and_only_then():
    def version():
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM communities_list_version WHERE name = 'compound'")
            return cursor.fetchone()[0]

    seen = [version()]
    compound = Compound.objects.first()
    compound.save()
    seen.append(version())
    Compound.objects.filter(pk=compound.pk).update(name=compound.name)
    seen.append(version())
    Compound.objects.filter(pk=-1).update(name="x")  # a statement that changes no row still moves it: harmless
    seen.append(version())
    assert len(set(seen)) == len(seen)


def test_a_cache_that_is_down_changes_nothing_but_the_speed(users, monkeypatch):
    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    client = _client(users["street_office"])
    monkeypatch.setattr(listcache, "cache", Down())
    assert _ids(client.get(URL)) == _visible("street_office")


def test_only_the_lists_read_the_versions(users, monkeypatch):
    """Every other request is spared the versions' reading: a petition create loads its scope without them."""
    from communities import scope as scope_module
    from petitions.models import Category

    asked = []
    load = scope_module._load
    monkeypatch.setattr(scope_module, "_load", lambda user, list_versions=False: (
        asked.append(list_versions), load(user, list_versions))[1])
    monkeypatch.setattr(scope_module, "_read_versions", lambda: pytest.fail("versions read for a create"))
    client = _client(users["resident"])
    compound = users["resident"].person.residencies.first().household.compound
    category = Category.objects.filter(district_id=compound.district_id, is_active=True).first()
    response = client.post("/api/v1/petitions/", {"category": category.pk, "description": "楼道灯不亮"},
                           format="json")
    assert response.status_code == 201, response.content
    assert asked == [False]
    asked.clear()
    assert client.get(URL).status_code == 200
    assert asked == [True]  # the list asks, in the scope's own statement


def test_a_scope_read_before_the_page_still_keys_it_by_the_current_version(users):
    """A scope read earlier in the request without the versions: the list's key reads them alone, and a write
    to the compounds changes the key."""
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from communities.api.views import CompoundViewSet
    from communities.scope import forget_scope, scope_for

    user = users["street_office"]

    def key():
        forget_scope(user)
        assert scope_for(user).list_versions is None  # read first, as a check before the list would
        request = Request(APIRequestFactory().get(URL))
        request.user = user
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        with CaptureQueriesContext(connection) as queries:
            found = listcache.page_key(CompoundViewSet(), request)
        assert len(queries) == 1  # the versions alone
        return found

    first = key()
    assert first is not None and key() == first
    Compound.objects.filter(pk=Compound.objects.order_by("pk").values("pk")[:1]).update(name=F("name"))
    assert key() != first
