"""The dashboards' pages: what they show, how bad input is answered, that they cost the same queries with more
data, and that they stay under the Content-Security-Policy."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Community, Compound, District
from petitions import figures
from petitions.models import Petition
from tests.dashboards.test_selectors import _grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    return District.objects.order_by("pk").first()


@pytest.fixture
def org(client, users):
    client.force_login(users["district_org"])
    return client


def test_the_overview_shows_the_figures_charts_tables_and_drill_down(org, district):
    response = org.get(reverse("dashboards:overview", args=["district", district.pk]), {"period": "year"})
    assert response.status_code == 200
    html = response.content.decode()
    street = district.streets.order_by("pk").first()
    assert reverse("dashboards:overview", args=["street", street.pk]) + "?period=year" in html
    assert 'id="strength-index"' in html
    for chart in ("children", "coverage", "channels", "categories", "stars", "applications", "targets"):
        assert f'id="chart-{chart}-option" type="application/json"' in html
    assert reverse("dashboards:export", args=["district", district.pk, "targets"]) in html
    assert "vendor/echarts-5.6.0/echarts.min.js" in html


def test_the_drill_down_reaches_a_compound_page_with_its_breadcrumb(org, district):
    compound = Compound.objects.filter(district=district).order_by("pk").first()
    response = org.get(reverse("dashboards:overview", args=["compound", compound.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for ancestor in (district, compound.street, compound.community):
        assert ancestor.name in html
    assert reverse("dashboards:overview", args=["community", compound.community_id]) in html
    for building in compound.buildings.all():
        assert building.name in html


@pytest.mark.parametrize("params,field", [
    ({"period": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "end"),
    ({"period": "fortnight"}, "period"),
    ({"rank": "nonsense"}, "rank"),
])
def test_bad_input_is_a_400_naming_the_field(org, district, params, field):
    for route in ("overview", "screen", "map"):
        response = org.get(reverse(f"dashboards:{route}", args=["district", district.pk]), params)
        if route == "map" and field == "rank":
            continue
        assert response.status_code == 400
        assert field.encode() in response.content
    data = org.get(reverse("dashboards:screen_data", args=["district", district.pk]), params)
    assert data.status_code == 400 and field in data.json()["errors"]
    export = org.get(reverse("dashboards:export", args=["district", district.pk, "money"]), params)
    assert export.status_code == 400


def test_an_unknown_table_is_a_404(org, district):
    assert org.get(reverse("dashboards:export", args=["district", district.pk, "nope"])).status_code == 404


def test_the_map_colours_by_a_chosen_figure(org, district):
    assert org.get(reverse("dashboards:map", args=["district", district.pk]), {"figure": "bogus"}).status_code == 400
    response = org.get(reverse("dashboards:map", args=["district", district.pk]), {"figure": "petitions"})
    assert response.status_code == 200
    assert b'id="map-option" type="application/json"' in response.content


def test_the_screen_refreshes_from_its_data_route(org, district):
    response = org.get(reverse("dashboards:screen", args=["district", district.pk]), {"period": "year"})
    html = response.content.decode()
    url = re.search(r'data-refresh="([^"]+)"', html).group(1).replace("&amp;", "&")
    data = org.get(url).json()
    assert set(data["kpis"]) >= {"compounds", "petitions", "satisfaction", "targets"}
    assert "chart-coverage" in data["charts"]


def test_pages_carry_no_inline_script_and_the_policy_allows_none(org, district):
    response = org.get(reverse("dashboards:overview", args=["district", district.pk]))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "unsafe-inline" not in script_src and "http" not in script_src
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert b" style=" not in response.content


def _year_of_the_demo(district) -> dict:
    """The year of the demo's latest petition: the demo's petitions are of the last 90 days, so that this year
    (the year of today) holds none of them on 1 January."""
    latest = Petition.objects.filter(district=district).latest("created_at").created_at
    return {"period": "year", "at": figures.local_day(latest).isoformat()}


def test_an_export_is_a_workbook_with_the_pages_rows(org, district):
    response = org.get(reverse("dashboards:export", args=["district", district.pk, "categories"]),
                       _year_of_the_demo(district))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert sum(r[1] for r in rows) > 0


@pytest.mark.parametrize("level", ["district", "street", "community", "compound"])
def test_pages_cost_the_same_queries_with_more_data(org, district, level):
    node = {"district": district, "street": district.streets.order_by("pk").first(),
            "community": Community.objects.filter(district=district).order_by("pk").first(),
            "compound": Compound.objects.filter(district=district).order_by("pk").first()}[level]
    urls = [reverse(f"dashboards:{r}", args=[level, node.pk]) for r in ("overview", "screen_data", "map")]
    urls.append(reverse("dashboards:export", args=[level, node.pk, "children" if level != "compound" else "money"]))

    year = _year_of_the_demo(district)  # a year with petitions in it, whatever the day

    def count():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert org.get(url, year).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = count()
    _grow(district)
    assert count() == before
