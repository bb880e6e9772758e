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


def test_a_token_past_its_lifetime_answers_401_saying_so():
    key = _login().json()["token"]
    assert _me(key).status_code == 200
    Token.objects.filter(key=key).update(created=Token.objects.get(key=key).created - datetime.timedelta(hours=25))
    response = _me(key)
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期。"}
    assert response["WWW-Authenticate"] == "Token"


@override_settings(API_TOKEN_HOURS=1)
def test_the_lifetime_is_a_setting():
    key = _login().json()["token"]
    Token.objects.filter(key=key).update(created=Token.objects.get(key=key).created - datetime.timedelta(minutes=61))
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
