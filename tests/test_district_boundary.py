"""A district's boundary (up to 5 MB of GeoJSON) is read only where it is shown — the map and the admin's
district page — and left in the database on the hot paths: the scope and `me`, the admin's lists (the
districts', and lists that follow a relation to a district), the dashboards' and the strength index's pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.demo import first_compound
from communities.models import District

pytestmark = pytest.mark.django_db

# A select of the column; the districts' list asks only whether one is there (IS NOT NULL, no data sent).
READ = re.compile(r'"boundary"(?! IS NOT NULL)')


def _reads_of_the_boundary(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in queries.captured_queries if READ.search(q["sql"])]


@pytest.fixture
def district():
    found = District.objects.order_by("pk").first()
    assert District.objects.filter(pk=found.pk).values_list("boundary", flat=True).first()  # the demo ships one
    return found


def test_the_admin_lists_leave_the_boundary_unread(client, users, district):
    client.force_login(users["admin"])
    for name in ("communities_district", "communities_street", "communities_community", "communities_compound",
                 "communities_roleassignment", "petitions_category", "rankings_evaluationrules"):
        assert not _reads_of_the_boundary(client, reverse(f"admin:{name}_changelist")), name
    page = client.get(reverse("admin:communities_district_changelist"))
    assert b"icon-yes" in page.content  # the list still says which districts have one


def test_the_dashboards_and_the_index_leave_the_boundary_unread(client, users, district):
    compound = first_compound(district, 0)
    client.force_login(users["district_org"])
    for url in (f"/dashboards/district/{district.pk}/", f"/dashboards/street/{compound.street_id}/",
                f"/dashboards/community/{compound.community_id}/", f"/dashboards/compound/{compound.pk}/",
                f"/dashboards/strength/district/{district.pk}/", f"/dashboards/strength/compound/{compound.pk}/",
                "/api/v1/me/"):
        assert not _reads_of_the_boundary(client, url), url


def test_the_map_and_the_admins_district_page_read_it(client, users, district):
    client.force_login(users["district_org"])
    assert _reads_of_the_boundary(client, f"/dashboards/district/{district.pk}/map/")
    client.force_login(users["admin"])
    page = client.get(reverse("admin:communities_district_change", args=[district.pk]))
    assert page.status_code == 200 and page.context["adminform"].form.instance.boundary
