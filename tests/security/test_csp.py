"""Content-Security-Policy on every page; no page needs an inline script or style (issue 13). The browser tests
load the pages under the policy; these check the header and the markup the policy would refuse."""

import re

import pytest
from django.contrib.auth import get_user_model

POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "frame-ancestors": "'none'", "form-action": "'self'", "base-uri": "'self'",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if " " in part.strip())


def _assert_clean(response):
    policy = _policy(response)
    for directive, value in POLICY.items():
        assert policy[directive] == value, directive
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group()
    assert not INLINE_STYLE.search(html), html[INLINE_STYLE.search(html).start() - 200:][:400]


@pytest.mark.django_db
class TestPolicy:
    @pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
    def test_anonymous_pages(self, client, url):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        _assert_clean(response)

    @pytest.mark.parametrize("url", ["/api/docs/"])
    def test_the_api_docs_run_no_inline_script(self, client, url):
        response = client.get(url)
        assert response.status_code == 200
        assert _policy(response)["script-src"] == "'self'"
        assert _policy(response)["style-src"] == "'self' 'unsafe-inline'"
        assert not INLINE_SCRIPT.search(response.content.decode())

    @pytest.mark.parametrize("url", ["/", "/petitions/", "/petitions/new/", "/votes/", "/records/", "/inbox/"])
    def test_portal_pages(self, client, users, url):
        client.force_login(users["resident"])
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        _assert_clean(response)

    @pytest.mark.parametrize("url", ["/admin/", "/admin/petitions/petition/", "/admin/communities/compound/",
                                     "/admin/petitions/petition/add/"])
    def test_admin_pages(self, client, users, url):
        client.force_login(users["street_office"])
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response)

    def test_a_petitions_handling_page(self, client, users):
        from petitions.models import Petition
        from petitions.policies import petition_policy

        client.force_login(users["firm_staff"])
        petition = petition_policy.visible(users["firm_staff"]).order_by("pk").first()
        response = client.get(f"/admin/petitions/petition/{petition.pk}/change/")
        assert response.status_code == 200
        _assert_clean(response)
        assert Petition.objects.exists()

    def test_the_superusers_admin(self, client):
        client.force_login(get_user_model().objects.get(username="admin"))
        for url in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/"):
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_clean(response)

    def test_the_api_answers_carry_it_too(self, as_user):
        assert _policy(as_user("resident").get("/api/v1/me/"))["default-src"] == "'self'"
