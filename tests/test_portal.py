"""The residents' portal: log in, my household, my compound and who leads it."""

import pytest

from communities.models import Compound
from tests.conftest import PASSWORD


@pytest.mark.django_db
class TestPortal:
    def test_the_home_page_asks_for_a_login(self, client):
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith("/login/")

    def test_a_resident_logs_in_and_sees_household_and_compound(self, client, users):
        response = client.post("/login/", {"username": "resident", "password": PASSWORD}, follow=True)
        page = response.content.decode()
        assert response.status_code == 200
        residency = users["resident"].person.residencies.select_related("household__compound").first()
        assert residency.household.compound.name in page
        assert residency.household.room in page
        card = response.context["cards"][0]
        assert card["firm"] is not None and card["firm"].name in page
        assert card["commissioner_name"] and card["commissioner_name"] in page
        assert card["branch"] is not None

    def test_a_resident_may_not_open_another_compound(self, client, users):
        client.force_login(users["resident"])
        mine = users["resident"].person.residencies.first().household.compound_id
        other = Compound.objects.exclude(pk=mine).first()
        assert client.get(f"/compound/{mine}/").status_code == 200
        assert client.get(f"/compound/{other.pk}/").status_code == 404

    def test_staff_without_a_household_go_to_the_admin(self, client, users):
        client.force_login(users["firm_staff"])
        response = client.get("/")
        assert response.status_code == 302 and response.url == "/admin/"

    def test_offices_without_a_household_go_to_their_dashboard(self, client, users):
        client.force_login(users["street_office"])
        response = client.get("/")
        assert response.status_code == 302 and response.url == "/dashboards/"

    def test_no_personal_numbers_of_others_on_the_page(self, client, users):
        client.force_login(users["resident"])
        page = client.get("/").content.decode()
        card = client.get("/").context["cards"][0]
        if card["chair"]:
            assert card["chair"].person.phone not in page

    def test_repeated_failed_logins_are_locked_out(self, client):
        for _ in range(5):
            client.post("/login/", {"username": "resident_2", "password": "wrong"})
        response = client.post("/login/", {"username": "resident_2", "password": PASSWORD})
        assert response.status_code == 429


@pytest.mark.django_db
def test_the_first_load_is_small_and_has_no_script(client, users):
    """Residents are on phones on weak networks: performance.md sets 150 KB compressed, JS ≤ 50 KB."""
    import gzip
    import re
    from pathlib import Path

    from django.conf import settings

    client.force_login(users["resident"])
    html = client.get("/").content
    sheets = re.findall(rb'href="/static/([^"]+\.css)"', html)
    assert sheets, "the page links its stylesheet"
    css = b"".join((Path(settings.BASE_DIR) / "static" / s.decode()).read_bytes() for s in sheets)
    assert b"<script" not in html
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 150 * 1024


@pytest.mark.django_db
def test_the_tab_bar_shows_the_unread_count_and_links_the_compound(client, users):
    from django.urls import reverse

    from notifications.selectors import unread_count
    from notifications.services import notify

    user = users["resident"]
    client.force_login(user)
    client.get(reverse("portal:inbox"))  # read them all
    assert 'class="count"' not in client.get("/").content.decode()
    notify([user.pk], subject="测试通知", publish=False)
    home = client.get("/").content.decode()
    for name in ("portal:home", "portal:petitions", "portal:votes", "portal:inbox", "portal:me"):
        assert f'href="{reverse(name)}"' in home
    assert unread_count(user) == 1 and '<span class="count" aria-label="1 条未读">1</span>' in home
    compound = user.person.residencies.first().household.compound_id
    assert reverse("portal:compound", args=[compound]) in home
    me = client.get(reverse("portal:me"))
    assert me.status_code == 200 and reverse("portal:compound", args=[compound]) in me.content.decode()
    assert 'aria-current="page"' in me.content.decode()


@pytest.mark.django_db
def test_the_report_form_loads_htmx_from_static_files_within_the_budget(client, users):
    """Only the report form loads a script (htmx, vendored): ≤ 50 KB compressed, no inline script."""
    import gzip
    import re
    from pathlib import Path

    from django.conf import settings

    client.force_login(users["resident"])
    html = client.get("/petitions/new/").content
    scripts = re.findall(rb'<script src="/static/([^"]+)"', html)
    assert scripts == [b"vendor/htmx/htmx.min.js"]
    assert re.search(rb"<script>|<script [^>]*>[^<]", html) is None
    js = (Path(settings.BASE_DIR) / "static" / scripts[0].decode()).read_bytes()
    assert len(gzip.compress(js)) < 50 * 1024
