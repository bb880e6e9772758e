"""The children's petition columns of a dashboard read the summary rows (`petition_figures_by_node`) and equal
the same columns counted from the raw petitions, which is how the dashboards counted them before."""

import datetime
from types import SimpleNamespace

import pytest
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from communities.models import District
from dashboards import selectors
from dashboards.periods import Period
from petitions import figures
from petitions.models import COUNTED, EventKind, Petition, PetitionEvent
from petitions.selectors import petition_figures_by_node

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

COLUMNS = ("petitions", "rejected", "merged", "resolved", "on_time", "in_compound", "escalated", "rated",
           "satisfied", "resolution_rate", "on_time_rate", "satisfaction_rate", "settled_in_compound",
           "petitions_per_100")


def _raw_rows(node, level, period) -> dict:
    """The oracle: the children's petition counts grouped over the raw rows, the rates' counts of the petitions
    neither rejected nor merged."""
    column = f"{level}_id"
    rows = Petition.objects.filter(**{f"{node.level}_id": node.pk}, created_at__gte=period.start,
                                   created_at__lt=period.end).values(column).annotate(
        petitions=Count("pk"), rejected=Count("pk", filter=Q(status="rejected")),
        merged=Count("pk", filter=Q(close_reason="merged")),
        resolved=Count("pk", filter=COUNTED & Q(resolved_at__isnull=False)),
        on_time=Count("pk", filter=COUNTED & Q(resolved_on_time=True)),
        in_compound=Count("pk", filter=COUNTED & Q(settled_level="compound")),
        escalated=Count("pk", filter=COUNTED & Q(escalations__gt=0)),
        rated=Count("pk", filter=COUNTED & Q(rating__isnull=False)),
        satisfied=Count("pk", filter=COUNTED & Q(rating__gte=4)),
        rating_sum=Coalesce(Sum("rating", filter=COUNTED), 0),
    ).order_by()
    return {row[column]: {k: v for k, v in row.items() if k != column} for row in rows}


def _expected(node, level, period) -> dict:
    """The dashboards' columns with their petition counts replaced by the oracle's (the other sources as read)."""
    out = {}
    raw = _raw_rows(node, level, period)
    for pk, entry in selectors.rows_by(node, level, period).items():
        counts = {name: 0 for name in COLUMNS[:9]} | raw.get(pk, {})
        out[pk] = selectors._derived({**entry, **counts})
    return out


def _periods() -> list[Period]:
    """The month and the quarter of the latest petition, and the month before it (so some rows are whole months
    and some run into the days of a month still going)."""
    latest = figures.local_day(Petition.objects.latest("created_at").created_at)
    month = latest.replace(day=1)
    quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    before = (month - datetime.timedelta(days=1)).replace(day=1)
    quarter_end = (quarter + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(days=1)
    month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return [Period("month", month, month_end), Period("month", before, month - datetime.timedelta(days=1)),
            Period("quarter", quarter, quarter_end)]


@pytest.fixture
def district(db):
    return District.objects.order_by("pk").first()


def test_the_children_petition_columns_equal_the_raw_count(district):
    street = district.streets.order_by("pk").first()
    seen = 0
    for node, level in ((district, "street"), (street, "community")):
        for period in _periods():
            rows = selectors.rows_by(node, level, period)
            expected = _expected(node, level, period)
            assert rows.keys() == expected.keys()
            for pk, entry in rows.items():
                assert {c: entry[c] for c in COLUMNS} == {c: expected[pk][c] for c in COLUMNS}, (node, period, pk)
                seen += entry["petitions"]
    assert seen  # the demo's periods hold petitions, so the comparison compares something


def test_ragged_hours_are_counted_from_the_raw_rows_of_those_hours_only(district, django_assert_num_queries):
    ids = list(district.streets.values_list("pk", flat=True))
    latest = Petition.objects.latest("created_at").created_at
    start = latest - datetime.timedelta(days=40, hours=5)
    end = latest + datetime.timedelta(hours=3)
    with django_assert_num_queries(2):  # the summary rows, then the ragged hours at either end
        read = petition_figures_by_node("street", ids, start, end)
    raw = _raw_rows(district, "street", SimpleNamespace(start=start, end=end))
    assert raw
    assert {pk: {selectors.PETITION_COLUMNS.get(k, k): v for k, v in counts.items()}
            for pk, counts in read.items()} == raw


def test_a_latest_rating_counts_once_however_often_the_petition_was_rated(district):
    petition = Petition.objects.filter(district=district, rating__isnull=True).order_by("pk").first()
    period = Period("custom", figures.local_day(petition.created_at), figures.local_day(petition.created_at))
    before = selectors.rows_by(district, "street", period)[petition.street_id]
    # given: rated twice as the timeline records it (a low rating reopened it), the latest rating a 5
    for rating in (2, 5):
        PetitionEvent.objects.create(petition=petition, kind=EventKind.RATED, rating=rating, at=petition.created_at)
    Petition.objects.filter(pk=petition.pk).update(rating=5)
    figures.rebuild(district.pk)
    # when
    after = selectors.rows_by(district, "street", period)[petition.street_id]
    # then: one more petition rated and satisfied, as the raw rows say
    assert (after["rated"], after["satisfied"]) == (before["rated"] + 1, before["satisfied"] + 1)
    assert after == _expected(district, "street", period)[petition.street_id]
