"""With DEBUG off every error a person can meet has a Chinese page: the portal's look, the admin's under /admin/,
JSON under /api/; a too-large upload from a form answers the page; field messages in the project's words."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PORTAL_CSS = "/static/css/portal.css"
ADMIN_CSS = "/static/admin/css/base.css"


@pytest.fixture
def categories(db):
    from communities.models import District
    from petitions.models import Category

    return {c.code: c for c in Category.objects.filter(district=District.objects.order_by("pk").first())}


def _page(response, status, title, css=PORTAL_CSS):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert title in html and css in html, html[:600]
    return html


def test_404_in_the_portal_and_in_the_admin(client, users):
    _page(client.get("/no-such-page/"), 404, "页面不存在")
    client.force_login(users["street_office"])
    _page(client.get("/admin/no-such-app/"), 404, "页面不存在", ADMIN_CSS)


def test_404_under_the_api_is_json(client):
    response = client.get("/api/v1/no-such-route/")
    assert response.status_code == 404 and "detail" in response.json()


def test_403_in_the_portal(client, users):
    client.force_login(users["street_office"])  # staff do not submit petitions of their own
    _page(client.get("/petitions/new/"), 403, "无权访问")


def test_500_is_a_page(client, users, monkeypatch):
    from petitions import selectors

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "my_petitions", broken)
    client.raise_request_exception = False
    client.force_login(users["resident"])
    html = _page(client.get("/petitions/"), 500, "出错了")
    assert "boom" not in html


def test_a_csrf_failure_is_a_page(users):
    client = Client(enforce_csrf_checks=True)
    _page(client.post("/login/", {"username": "resident", "password": "x"}), 403, "表单已过期")
    _page(client.post("/admin/login/", {"username": "resident", "password": "x"}), 403, "表单已过期", ADMIN_CSS)


def test_400_is_a_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    _page(client.post("/login/", {f"f{i}": "x" for i in range(10)}), 400, "请求有误")


def test_a_too_large_upload_from_a_form_answers_the_page(client, users, settings, categories):
    settings.MAX_REQUEST_BODY_BYTES = 20_000
    client.force_login(users["resident"])
    response = client.post("/petitions/new/", {
        "category": categories["repair"].pk, "description": "x" * 30_000})
    html = _page(response, 413, "上传的内容过大")
    assert "{&quot;" not in html and '{"detail"' not in html
    assert re.search(r"19\.5\s*KB", html.replace("\xa0", " "))  # the limit, as a person reads it
    client.force_login(users["firm_staff"])
    _page(client.post("/admin/petitions/petition/1/handle/reply/", {"reply-text": "x" * 30_000}), 413,
          "上传的内容过大", ADMIN_CSS)
    api = client.post("/api/v1/petitions/", {"description": "x" * 30_000})
    assert api.status_code == 413 and "detail" in api.json()


def test_a_locked_out_login_is_the_429_page(client):
    for _ in range(5):
        client.post("/login/", {"username": "resident_2", "password": "wrong"})
    html = _page(client.post("/login/", {"username": "resident_2", "password": "demo-pass-2026"}), 429, "尝试次数过多")
    assert "15" in html


def test_field_messages_are_the_projects_own_words(client, users, categories, as_user):
    client.force_login(users["resident"])
    page = client.post("/petitions/new/", {"category": categories["repair"].pk, "description": "长" * 4001})
    assert page.status_code == 200
    html = page.content.decode()
    assert "不超过 4000 字" in html and "确保" not in html
    body = as_user("resident").post("/api/v1/petitions/", {
        "category": categories["repair"].pk, "description": "长" * 4001}, format="json").json()
    assert body["description"] == ["不超过 4000 字。"]
