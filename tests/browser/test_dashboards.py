"""The district organization department's morning, in a browser that reaches nothing but the platform: it lands on
its dashboard, the charts draw (ECharts from our static files, under the Content-Security-Policy), it drills down
to a street and a compound, opens the map and the command centre."""

from tests.browser.test_offline_pages import _offline


def _watch(page):
    problems = []
    page.on("pageerror", lambda e: problems.append(f"error: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def test_the_department_lands_on_its_dashboard_and_drills_down(site):
    page = site.page()
    refused = _offline(page, site.url)
    problems = _watch(page)
    site.login(page, "district_org")
    assert "/dashboards/district/" in page.url
    page.wait_for_selector("#chart-coverage canvas", timeout=30_000)
    assert page.locator(".dash-chart canvas").count() >= 6
    assert page.locator(".dash-kpi").count() == 8
    site.shot(page, "overview")

    page.click("#ranking table a >> nth=0")  # the first street of the ranking
    page.wait_for_selector("#chart-children canvas", timeout=30_000)
    assert "/dashboards/street/" in page.url
    assert page.locator(".dash-crumbs li").count() == 2
    site.shot(page, "street")

    page.click("#ranking table a >> nth=0")  # a community
    page.wait_for_selector("#chart-children canvas", timeout=30_000)
    page.click("#ranking table a >> nth=0")  # a compound: its single page
    page.wait_for_selector("#chart-channels canvas", timeout=30_000)
    assert "/dashboards/compound/" in page.url
    assert page.locator(".dash-crumbs li").count() == 4
    site.shot(page, "compound")

    page.click(".dash-nav a >> nth=1")  # the map
    page.wait_for_selector("#map canvas", timeout=30_000)
    site.shot(page, "map")

    page.click(".dash-nav a >> nth=2")  # the command centre
    page.wait_for_selector("#chart-coverage canvas", timeout=30_000)
    assert page.locator("body.screen").count() == 1
    site.shot(page, "screen")
    assert refused == []
    assert problems == []
