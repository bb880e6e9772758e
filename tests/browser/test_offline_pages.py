"""The API docs render in a browser that can reach nothing but the platform (no CDN), and the admin's error page
has the admin's look."""

import urllib.parse


def _offline(page, site_url: str) -> list[str]:
    """Refuses every request to another host; returns the list of those refused."""
    refused = []
    host = urllib.parse.urlsplit(site_url).netloc

    def guard(route):
        if urllib.parse.urlsplit(route.request.url).netloc != host:
            refused.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", guard)
    return refused


def test_swagger_ui_renders_offline(site):
    page = site.page()
    refused = _offline(page, site.url)
    page.goto(site.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "三方协同治理平台 API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10  # the operations of the schema
    site.shot(page, "swagger-ui")
    assert refused == []


def test_an_admin_error_page_has_the_admins_look(site):
    page = site.page()
    site.login(page, "firm_staff", admin=True)
    page.goto(site.url + "/admin/no-such-app/")
    assert page.locator("#site-name").count() == 1
    assert page.inner_text("#content h1") == "页面不存在"
    site.shot(page, "admin-404")
