"""config.csp: the site's policy is written once per process, and is the very header django-csp would write; an
answer with a policy of its own, a nonce, a report-only policy and a change of the settings still get theirs."""

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.csp import CSPMiddleware, site_policies


def _answer(view, path="/somewhere/"):
    return CSPMiddleware(view)(RequestFactory().get(path))


def _plain(request):
    return HttpResponse("ok")


def test_the_header_is_django_csps_own():
    response = _answer(_plain)
    assert response["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response
    assert _answer(_plain)["Content-Security-Policy"] is site_policies()[0][1]  # built once, reused


def test_a_changed_setting_is_written_at_once():
    before = _answer(_plain)["Content-Security-Policy"]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert _answer(_plain)["Content-Security-Policy"] == "default-src 'none'"
    assert _answer(_plain)["Content-Security-Policy"] == before


def test_an_answer_with_its_own_policy_keeps_it():
    updated = _answer(csp_update({"style-src": ["'unsafe-inline'"]})(_plain))
    assert "style-src 'self' 'unsafe-inline'" in updated["Content-Security-Policy"]
    assert "Content-Security-Policy" not in _answer(csp_exempt()(_plain))


def test_a_nonce_asked_for_is_in_the_header():
    def view(request):
        return HttpResponse(str(request.csp_nonce))

    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}}):
        response = _answer(view)
    assert f"'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_an_error():
    request = RequestFactory().get("/")
    CSPMiddleware(_plain)(request)
    with pytest.raises(Exception, match="csp_nonce"):
        str(request.csp_nonce)


def test_report_only_and_excluded_prefixes():
    policy = {"EXCLUDE_URL_PREFIXES": ["/open/"], "DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        assert _answer(_plain)["Content-Security-Policy-Report-Only"] == "default-src 'self'"
        assert "Content-Security-Policy-Report-Only" not in _answer(_plain, "/open/page/")
        assert "Content-Security-Policy" in _answer(_plain, "/open/page/")
