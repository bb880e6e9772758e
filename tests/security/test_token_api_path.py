"""A token request to the API passes by the sessions, auth and messages middleware (config/token_api.py, ADR 0011)
and keeps every rule: the security headers, the body limit, the language, the history's user, the 401/403/404
answers. Requests go through the WSGI application gunicorn serves (config.wsgi), with a WSGI environ."""

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from config.token_api import is_token_api_request
from core.tokens import issue_token

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body

    def json(self):
        return json.loads(self.body)


@pytest.fixture
def wsgi():
    """config.wsgi.application called as gunicorn calls it (the test's database connection kept open across the
    request, as Django's test client does)."""
    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def call(method, path, *, token=None, body=None, length=None, **headers):
        data = json.dumps(body).encode() if body is not None else b""
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO(data),
                   "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(length if length is not None
                                                                                else len(data))}
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Token {token}"
        environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
        setup_testing_defaults(environ)
        environ["SERVER_NAME"] = "testserver"
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=status, headers=response_headers)

        chunks = application(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return Answer(started["status"], started["headers"], content)

    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def passed_by(monkeypatch):
    """The middleware that did their work for a request, by name."""
    ran = []
    for cls in (SessionMiddleware, AuthenticationMiddleware, MessageMiddleware):
        original = cls.process_request

        def spy(self, request, original=original, name=cls.__name__):
            ran.append(name)
            return original(self, request)

        monkeypatch.setattr(cls, "process_request", spy)
    return ran


def test_a_token_request_runs_no_session_auth_or_messages_middleware(wsgi, users, passed_by):
    key = issue_token(users["resident"]).key
    response = wsgi("GET", "/api/v1/me/", token=key)
    assert response.status_code == 200
    assert response.json()["username"] == "resident"
    assert passed_by == []
    assert "Set-Cookie" not in response.headers


def test_other_requests_run_them_all(wsgi, users, passed_by):
    assert wsgi("GET", "/api/v1/me/").status_code in (401, 403)  # no token: the session is asked
    assert passed_by == ["SessionMiddleware", "AuthenticationMiddleware", "MessageMiddleware"]
    passed_by.clear()
    assert wsgi("GET", "/login/").status_code == 200
    assert passed_by == ["SessionMiddleware", "AuthenticationMiddleware", "MessageMiddleware"]


def test_a_token_request_keeps_the_security_headers(wsgi, users):
    response = wsgi("GET", "/api/v1/me/", token=issue_token(users["resident"]).key)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Type"] == "application/json"


def test_a_token_request_asking_for_html_gets_the_browsable_api(wsgi, users):
    """DRF's browsable page reads the user DRF set, the CSRF token and messages (none): no session needed."""
    response = wsgi("GET", "/api/v1/me/", token=issue_token(users["resident"]).key, accept="text/html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert b"resident" in response.body


def test_a_token_request_is_answered_in_its_language(wsgi, users):
    key = issue_token(users["resident"]).key
    english = wsgi("GET", "/api/v1/petitions/999999999/", token=key, accept_language="en")
    chinese = wsgi("GET", "/api/v1/petitions/999999999/", token=key, accept_language="zh-hans")
    assert (english.status_code, chinese.status_code) == (404, 404)
    assert english.json()["detail"] != chinese.json()["detail"]
    assert english.headers["Content-Language"] == "en"
    assert "Accept-Language" in english.headers["Vary"]
    invalid = wsgi("GET", "/api/v1/me/", token="not-a-token", accept_language="en")
    assert invalid.status_code == 401 and invalid.json() == {"detail": "Invalid token."}
    assert invalid.headers["WWW-Authenticate"] == "Token"


def test_a_token_request_over_the_body_limit_is_a_413(wsgi, users, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    response = wsgi("POST", "/api/v1/petitions/", token=issue_token(users["resident"]).key, length=1001)
    assert response.status_code == 413
    assert "detail" in response.json()


def test_a_token_write_keeps_its_history_user_and_its_403_and_404(wsgi, users):
    """simple_history's request middleware stays: the history row of an API write carries the token's user. The
    decision on it is the street office's: the department is refused (403), another street does not see it (404)."""
    from governance.models import WorkRequest
    from tests.governance.test_lists_targets_council import _department, _street_community

    department = _department(users)
    community = _street_community(users, "street_office")
    response = wsgi("POST", "/api/v1/governance/work-requests/", token=issue_token(users["department_staff"]).key,
                    body={"department": department.pk, "community": community.pk, "title": "入户开展问卷调查"})
    assert response.status_code == 201, response.body
    work = WorkRequest.objects.get(pk=response.json()["id"])
    assert work.history.first().history_user == users["department_staff"]
    url = f"/api/v1/governance/work-requests/{work.pk}/decide/"
    assert wsgi("POST", url, token=issue_token(users["department_staff"]).key,
                body={"approve": True}).status_code == 403
    assert wsgi("POST", url, token=issue_token(users["street_office_2"]).key, body={"approve": True}).status_code == 404
    approved = wsgi("POST", url, token=issue_token(users["street_office"]).key, body={"approve": True})
    assert approved.status_code == 200
    assert work.history.first().history_user == users["street_office"]


def test_the_login_route_keeps_its_throttle_and_lockout(wsgi, users):
    """The login takes no token; one sent along changes nothing: a wrong password is still a 400."""
    response = wsgi("POST", "/api/v1/auth/token/", token="stale", body={"username": "resident", "password": "x"})
    assert response.status_code == 400


def _api_views(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_every_route_a_token_request_may_pass_by_on_is_a_drf_view(settings):
    """The middleware passed by are safe to skip only for DRF views (token authentication, CSRF-exempt, no
    session or messages)."""
    routes = [(route, view) for route, view in _api_views()
              if ("/" + route.lstrip("^")).startswith(settings.API_TOKEN_PATHS)]
    assert len(routes) > 50
    for route, view in routes:
        assert issubclass(getattr(view, "cls", object), APIView), route


@pytest.mark.parametrize(("path", "header", "token_api"), [
    ("/api/v1/me/", "Token abc", True),
    ("/api/v1/me/", "token abc", True),
    ("/api/v1/me/", "Bearer abc", False),
    ("/api/v1/me/", "Tokenabc", False),
    ("/api/v1/me/", "", False),
    ("/api/docs/", "Token abc", False),
    ("/admin/", "Token abc", False),
    ("/petitions/", "Token abc", False),
])
def test_which_requests_are_token_api_requests(rf, path, header, token_api):
    request = rf.get(path, HTTP_AUTHORIZATION=header) if header else rf.get(path)
    assert is_token_api_request(request) is token_api
