"""The overview's figures: they add up, they match the apps' own selectors, and they cost the same number of
queries however much data the node holds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Compound, District
from dashboards import selectors
from dashboards.periods import Period, period_from
from dashboards.tables import build_charts, build_tables
from petitions import figures as petition_summaries
from petitions.models import Petition
from petitions.selectors import petition_figures

pytestmark = pytest.mark.django_db

YEAR = Period("custom", datetime.date(2020, 1, 1), datetime.date.today() + datetime.timedelta(days=1))


@pytest.fixture
def district(db):
    return District.objects.order_by("pk").first()


def _queries(node, period=YEAR):
    with CaptureQueriesContext(connection) as ctx:
        data = selectors.overview(node, period)
        build_charts(data, build_tables(data))
    return len(ctx.captured_queries), data


def _grow(district):
    """More of everything under the district: a new compound in every community and copies of its petitions."""
    for community in Community.objects.filter(district=district):
        Compound.objects.create(community=community, name=f"新建小区{community.pk}", household_count=40,
                                management_mode="professional")
    copies = []
    for p in Petition.objects.filter(district=district):
        p.pk = None
        p.external_ref = ""
        copies.append(p)
    Petition.objects.bulk_create(copies)
    # A bulk insert goes round the services, so the summaries learn of it as after a data fix: by the rebuild.
    petition_summaries.rebuild(district.pk)


@pytest.mark.parametrize("level", ["district", "street", "community", "compound"])
def test_the_overview_costs_the_same_queries_with_more_data(district, level):
    node = {"district": district, "street": district.streets.order_by("pk").first(),
            "community": Community.objects.filter(district=district).order_by("pk").first(),
            "compound": Compound.objects.filter(district=district).order_by("pk").first()}[level]
    before, data = _queries(node)
    _grow(district)
    after, grown = _queries(node)
    assert after == before
    assert grown["totals"]["petitions"] == 2 * data["totals"]["petitions"]
    if level in ("district", "street", "community"):
        assert grown["totals"]["compounds"] > data["totals"]["compounds"]


def test_the_children_add_up_to_the_node(district):
    data = selectors.overview(district, YEAR)
    children = data["children"]
    assert [c["id"] for c in children] != []
    assert {c["id"] for c in children} == set(district.streets.values_list("pk", flat=True))
    for name in ("compounds", "households", "petitions", "resolved", "waiting", "exits"):
        assert sum(c[name] for c in children) == data["totals"][name], name
    assert sum(c["fund_balance"] for c in children) == data["totals"]["fund_balance"]


def test_the_node_totals_agree_with_petition_figures_and_coverage(district):
    data = selectors.overview(district, YEAR)
    figures = petition_figures(district, YEAR.start, YEAR.end)
    assert data["totals"]["petitions"] == figures["total"] == Petition.objects.filter(district=district).count()
    assert data["totals"]["resolution_rate"] == figures["resolution_rate"]
    assert data["totals"]["compounds"] == data["coverage"]["compounds"]
    assert len(data["targets"]) == 25  # the table's 22 rows, row 8's second figure and row 16's second and third


def test_children_are_ranked_best_first_with_the_missing_last(district):
    street = district.streets.order_by("pk").first()
    children = selectors.ranked_children(street, YEAR, "satisfaction_rate")
    ranked = [c["satisfaction_rate"] for c in children if c["rank"] is not None]
    assert ranked == sorted(ranked, reverse=True)
    assert [c["rank"] for c in children if c["rank"] is not None] == list(range(1, len(ranked) + 1))
    fewest_first = selectors.ranked_children(street, YEAR, "petitions")
    assert [c["petitions"] for c in fewest_first] == sorted(c["petitions"] for c in fewest_first)


def test_a_compound_record_costs_the_same_queries_with_more_data(district):
    compound = Compound.objects.filter(district=district).order_by("pk").first()
    with CaptureQueriesContext(connection) as ctx:
        selectors.compound_record(compound, YEAR)
    _grow(district)
    with CaptureQueriesContext(connection) as grown:
        record = selectors.compound_record(compound, YEAR)
    assert len(grown.captured_queries) == len(ctx.captured_queries)
    assert len(record["recent_petitions"]) <= 10


@pytest.mark.parametrize("params,first,last", [
    ({"period": "month", "at": "2026-02-10"}, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
    ({"period": "quarter", "at": "2026-11-30"}, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    ({"period": "year", "at": "2025-06-01"}, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ({"period": "custom", "start": "2026-01-05", "end": "2026-01-06"}, datetime.date(2026, 1, 5),
     datetime.date(2026, 1, 6)),
])
def test_periods(params, first, last):
    period, _form = period_from(params)
    assert (period.first, period.last) == (first, last)
    again, _form = period_from(dict(p.split("=") for p in period.query().split("&")))
    assert again == period


@pytest.mark.parametrize("params,field", [
    ({"period": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "end"),
    ({"period": "custom", "end": "2026-01-01"}, "start"),
    ({"period": "week"}, "period"),
    ({"period": "month", "at": "yesterday"}, "at"),
])
def test_bad_periods_name_the_field(params, field):
    period, form = period_from(params)
    assert period is None and field in form.errors
