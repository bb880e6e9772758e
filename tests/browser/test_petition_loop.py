"""The closed loop in a real browser: a resident reports with a photo and sees it; the handler sees the photo in
the admin, accepts, replies with a photo and resolves; the resident rates; meanwhile the commissioner's and the
street office's workbench counts follow the petition through the queues; an over-large upload shows the error page.
Each step leaves a screenshot in var/screenshots/<test>/."""

import re

import pytest

from communities.models import District
from petitions.models import Category, Petition, Status


@pytest.mark.django_db
def test_the_demo_has_what_the_browser_tests_use(users):
    """Also makes pytest-django set up the test database when this folder runs alone (it sets up only the
    databases that collected tests ask for, and the browser tests themselves ask for none, see conftest)."""
    assert {"resident", "firm_staff"} <= set(users)
    assert _repair_category()


def _loaded(page, selector: str) -> list[int]:
    """The natural widths of the images matched (0 for one that did not load), once each was scrolled into
    view (they load lazily)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for image in page.locator(selector).all():
        image.scroll_into_view_if_needed()
    widths = "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
    try:
        page.wait_for_function(f"() => ({widths})([...document.querySelectorAll({selector!r})]).every(w => w > 0)",
                               timeout=10_000)
    except PlaywrightTimeout:
        pass  # the assertion that follows shows which did not load
    return page.eval_on_selector_all(selector, widths)


def _repair_category() -> str:
    """The repair category of the resident's district (the demo's first), routed to the compound's firm."""
    return str(Category.objects.filter(code="repair", district=District.objects.order_by("pk").first()).get().pk)


class Workbenches:
    """The admin homes of the staff who follow the resident's compound without handling its petitions (the
    compound's commissioner, the street office above it): their queue counts, read as a person reads them, and
    checked against the counts before the petition moved."""

    WATCHERS = ("commissioner", "street_office")

    def __init__(self, site):
        self.site, self.pages = site, {}
        for username in self.WATCHERS:
            self.pages[username] = page = site.page()
            site.login(page, username, admin=True)
        self.before = self.read("before")

    def read(self, step: str) -> dict[str, dict[str, int]]:
        counts = {}
        for username, page in self.pages.items():
            page.goto(self.site.url + "/admin/")
            self.site.shot(page, f"{username}-workbench-{step}")
            counts[username] = {
                queue.get_attribute("data-queue"): int(queue.locator(".count").inner_text())
                for queue in page.locator("#workbench .workbench-queue").all()}
        return counts

    def expect(self, step: str, **change: int) -> None:
        """After `step`, each queue named has moved by its `change` from the last reading."""
        now = self.read(step)
        for username in self.WATCHERS:
            assert {"new", "rating"} <= set(now[username]), (username, now[username])
            moved = {key: now[username][key] - self.before[username][key] for key in change}
            assert moved == change, (step, username, moved)
        self.before = now


def test_report_handle_rate_with_photos(site, tmp_path):
    watchers = Workbenches(site)
    resident = site.page(mobile=True)
    site.login(resident, "resident")
    resident.goto(site.url + "/petitions/new/")
    resident.select_option("select[name=category]", _repair_category())
    resident.fill("textarea[name=description]", "浏览器测试：三单元楼道灯不亮")
    resident.set_input_files("input[name=photos]", str(_png(tmp_path, "light.png")))
    site.shot(resident, "resident-fills-the-form")
    resident.click("form button.primary")
    resident.wait_for_url(re.compile(r"/petitions/\d+/$"))
    pk = int(re.search(r"/petitions/(\d+)/$", resident.url).group(1))
    widths = _loaded(resident, "img.thumb")
    assert widths and all(w > 0 for w in widths), widths
    site.shot(resident, "resident-sees-the-thumbnail")
    petition = Petition.objects.get(pk=pk)
    assert petition.handler_kind == "firm" and petition.attachments.count() == 1
    watchers.expect("reported", new=1, rating=0)

    handler = site.page()
    site.login(handler, "firm_staff", admin=True)
    handler.goto(f"{site.url}/admin/petitions/petition/{pk}/change/")
    site.shot(handler, "handler-sees-the-photo")
    widths = _loaded(handler, "img.petition-photo")
    assert widths and all(w > 0 for w in widths), widths
    _act(handler, "accept")
    site.shot(handler, "handler-accepted")
    watchers.expect("accepted", new=-1, rating=0)
    handler.locator("details.petition-action", has=handler.locator("textarea[name=reply-text]")).locator(
        "summary").click()
    handler.fill("textarea[name=reply-text]", "已更换灯泡，请查看照片")
    handler.set_input_files("input[name=reply-photos]", str(_png(tmp_path, "fixed.png")))
    _submit(handler, "reply")
    site.shot(handler, "handler-replied-with-a-photo")
    _act(handler, "resolve")
    assert len(_loaded(handler, "img.petition-photo")) == 2
    site.shot(handler, "handler-resolved")
    petition.refresh_from_db()
    assert petition.status == Status.RESOLVED and petition.reply.startswith("已更换灯泡")
    watchers.expect("resolved", new=0, rating=1)

    resident.goto(f"{site.url}/petitions/{pk}/")
    widths = _loaded(resident, "img.thumb")
    assert len(widths) == 2 and all(w > 0 for w in widths), widths  # the handler's photo in the timeline too
    resident.check("input[name=rating][value='5']")
    site.shot(resident, "resident-rates")
    resident.click("form[action$='/rate/'] button[type=submit]")
    resident.wait_for_load_state()
    site.shot(resident, "resident-rated")
    petition.refresh_from_db()
    assert (petition.status, petition.rating) == (Status.CLOSED, 5)
    watchers.expect("rated", new=0, rating=-1)


def _act(page, action: str) -> None:
    """Opens the panel's folded form of `action` and sends it."""
    page.locator("details.petition-action", has=page.locator(f"form[action$='/handle/{action}/']")).locator(
        "summary").click()
    _submit(page, action)


def _submit(page, action: str) -> None:
    form = page.locator(f"form[action$='/handle/{action}/']")
    form.locator("input[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count(), page.content()[:2000]


def _png(tmp_path, name, **kw):
    from tests.browser.conftest import png_file

    return png_file(tmp_path, name, **kw)


def test_an_over_large_upload_shows_the_error_page(site, tmp_path, settings):
    settings.MAX_REQUEST_BODY_BYTES = 512 * 1024  # the photo below is over it; the real limit is 32 MB
    resident = site.page(mobile=True)
    site.login(resident, "resident")
    resident.goto(site.url + "/petitions/new/")
    resident.select_option("select[name=category]", index=1)
    resident.fill("textarea[name=description]", "浏览器测试：照片过大")
    resident.set_input_files("input[name=photos]", str(_png(tmp_path, "huge.png", size=(600, 600), noise=True)))
    before = Petition.objects.count()
    resident.click("form button.primary")
    resident.wait_for_load_state()
    site.shot(resident, "too-large-upload")
    assert resident.locator("h1").inner_text() == "上传的内容过大"
    assert "detail" not in resident.content()
    assert Petition.objects.count() == before
