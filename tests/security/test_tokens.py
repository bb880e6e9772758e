"""API tokens have a lifetime, each login issues a new one, and removing a role revokes them (issue 13)."""

import datetime

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communities import services
from communities.models import RoleAssignment
from core.tokens import issue_token
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _me(token):
    return APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")


def _login(username="street_office"):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")


def test_a_login_tells_when_its_token_expires():
    body = _login().json()
    token = Token.objects.get(key=body["token"])
    assert datetime.datetime.fromisoformat(body["expires"]) == token.created + datetime.timedelta(hours=24)


def _later(monkeypatch, delta):
    """The clock of the token check moved on by `delta` (the token itself, cached or not, is unchanged)."""
    from django.utils import timezone

    from core import tokens

    now = timezone.now() + delta
    monkeypatch.setattr(tokens.timezone, "now", lambda: now)


def test_a_token_past_its_lifetime_answers_401_saying_so(monkeypatch):
    key = _login().json()["token"]
    assert _me(key).status_code == 200  # and now cached
    _later(monkeypatch, datetime.timedelta(hours=25))
    response = _me(key)
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期。"}
    assert response["WWW-Authenticate"] == "Token"


@override_settings(API_TOKEN_HOURS=1)
def test_the_lifetime_is_a_setting(monkeypatch):
    key = _login().json()["token"]
    assert _me(key).status_code == 200
    _later(monkeypatch, datetime.timedelta(minutes=61))
    assert _me(key).status_code == 401


def test_each_login_issues_a_new_token_and_revokes_the_one_before():
    first = _login().json()["token"]
    second = _login().json()["token"]
    assert first != second
    assert _me(first).status_code == 401
    assert _me(second).status_code == 200


def test_removing_a_role_revokes_the_users_tokens(users):
    key = issue_token(users["community_office"]).key
    assert _me(key).status_code == 200
    services.role_revoke(actor=users["admin"], assignment=RoleAssignment.objects.get(user=users["community_office"]))
    assert _me(key).status_code == 401
    assert not Token.objects.filter(user=users["community_office"]).exists()


def test_a_token_request_costs_one_query_for_authentication(users, django_assert_num_queries):
    """The hot path: the token and its user in one query, whatever the expiry check adds."""
    from core.tokens import ExpiringTokenAuthentication

    key = issue_token(users["resident"]).key
    with django_assert_num_queries(1):
        user, _token = ExpiringTokenAuthentication().authenticate_credentials(key)
    assert user == users["resident"]


def test_a_cached_token_costs_no_query_for_authentication(users, django_assert_num_queries):
    from core.tokens import ExpiringTokenAuthentication

    key = issue_token(users["resident"]).key
    ExpiringTokenAuthentication().authenticate_credentials(key)  # read and cached
    with django_assert_num_queries(0):
        user, token = ExpiringTokenAuthentication().authenticate_credentials(key)
    assert (user, token.key) == (users["resident"], key)


@override_settings(API_TOKEN_CACHE_SECONDS=0)
def test_without_the_cache_every_request_reads_the_token(users, django_assert_num_queries):
    from core.tokens import ExpiringTokenAuthentication

    key = issue_token(users["resident"]).key
    ExpiringTokenAuthentication().authenticate_credentials(key)
    with django_assert_num_queries(1):
        ExpiringTokenAuthentication().authenticate_credentials(key)


def test_a_revoked_cached_token_answers_401_at_once(users):
    from core.tokens import revoke_tokens

    key = issue_token(users["street_office"]).key
    assert _me(key).status_code == 200  # cached
    assert _me(key).status_code == 200
    revoke_tokens(users["street_office"])
    assert _me(key).status_code == 401


def test_a_token_deleted_in_the_admin_answers_401_at_once(users):
    key = issue_token(users["street_office"]).key
    assert _me(key).status_code == 200
    Token.objects.get(key=key).delete()
    assert _me(key).status_code == 401


def test_a_new_login_ends_the_cached_token_before_it(users):
    first = _login().json()["token"]
    assert _me(first).status_code == 200
    _login()
    assert _me(first).status_code == 401


def test_a_deactivated_users_cached_token_answers_401_at_once(users):
    user = users["community_office"]
    key = issue_token(user).key
    assert _me(key).status_code == 200
    user.is_active = False
    user.save()
    assert _me(key).status_code == 401


def test_a_token_revoked_while_a_request_reads_it_is_not_cached_again(users, django_capture_on_commit_callbacks):
    """A request that read the token before the revoke committed cannot put it back in the cache."""
    from django.core.cache import caches

    from core.tokens import ExpiringTokenAuthentication, _cache_key, revoke_tokens

    key = issue_token(users["street_office"]).key
    stale = Token.objects.select_related("user").get(key=key)  # what the other request read
    with django_capture_on_commit_callbacks(execute=True):
        revoke_tokens(users["street_office"])
    assert caches["tokens"].add(_cache_key(key), stale) is False  # the tombstone holds
    from rest_framework.exceptions import AuthenticationFailed

    with pytest.raises(AuthenticationFailed):
        ExpiringTokenAuthentication().authenticate_credentials(key)


def test_a_role_given_reaches_the_cached_tokens_user_at_once(users):
    """Granting a first role opens the admin (is_staff) by a queryset update, which sends no post_save: the
    cached token must not keep the user as it was."""
    from communities.models import Compound, Role
    from core.tokens import ExpiringTokenAuthentication

    resident = users["resident"]
    key = issue_token(resident).key
    assert ExpiringTokenAuthentication().authenticate_credentials(key)[0].is_staff is False  # cached
    compound = Compound.objects.filter(district_id=users["district_org"].role_assignments.first().district_id) \
        .order_by("-pk").first()
    services.role_grant(actor=users["admin"], user=resident, role=Role.COMMISSIONER, node=compound)
    assert ExpiringTokenAuthentication().authenticate_credentials(key)[0].is_staff is True
