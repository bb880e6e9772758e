"""Browser tests: Playwright for Python driving Debian's chromium (`apt-get install chromium`, never `playwright
install`), against pytest-django's live server class on the session's seeded demo.

Why not the `live_server` fixture itself: it forces `transactional_db`, which empties every table after each
test and so would wipe the demo seeded once per session (tests/conftest.py). The server here runs on the same
test database, where the seed is committed: the pages see it as it is. What a browser test writes is committed
too, so each test removes the petitions it made (their events, photos, whistles go with them) when it ends;
pytest-django runs tests that ask for no database last, so no other test meets them meanwhile.

Without chromium the tests are skipped with the reason; in CI (CI=true) a missing browser is a failure.
Screenshots of each step go to var/screenshots/<test>/ (git ignores var/)."""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "demo-pass-2026"


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests need a browser in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls (setup, cleanup,
    # assertions) are plain blocking calls made between its steps, which Django would otherwise refuse.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def seeded_server(django_db_setup):
    """pytest-django's live server on the seeded test database, one for the session (its requests reach the
    database while a test holds `site`, which lets them)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture
def site(seeded_server, chromium, django_db_blocker, request):
    """The live site for one test: database access for the test's own checks, a screenshot helper, and the
    petitions the test made removed afterwards."""
    from petitions.models import Petition

    with django_db_blocker.unblock():
        last = Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        site = Site(seeded_server.url, chromium, folder)
        yield site
        # Closing the pages closes their kept-alive connections, and with them the server threads' database
        # connections (the test database is dropped at the end of the session).
        for context in site.contexts:
            context.close()
        Petition.objects.filter(pk__gt=last).delete()
        connections.close_all()


class Site:
    def __init__(self, url, browser, folder: Path):
        self.url, self.browser, self.folder, self.shots = url, browser, folder, 0
        self.contexts = []

    def page(self, *, mobile=False):
        size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
        context = self.browser.new_context(viewport=size, locale="zh-CN")
        self.contexts.append(context)
        return context.new_page()

    def login(self, page, username: str, *, admin=False):
        page.goto(self.url + ("/admin/login/" if admin else "/login/"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("[type=submit]")
        page.wait_for_load_state()

    def shot(self, page, name: str) -> Path:
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def png_file(tmp_path: Path, name="photo.png", size=(640, 480), noise=False) -> Path:
    """A photo on disk for the file chooser; `noise` makes it large (incompressible)."""
    from PIL import Image

    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (30, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path
