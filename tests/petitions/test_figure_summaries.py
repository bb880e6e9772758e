"""The summary tables behind the petition figures: after every kind of change made through the services, the
figures read from the summaries equal the same figures counted from the raw rows (`petition_figures_raw`), the
incremental rows equal a nightly rebuild's, and reading costs a fixed number of queries whatever the number of
petitions."""

import datetime
import importlib
import statistics
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from communities.models import Community, Department, Street
from petitions import figures, services, tasks
from petitions.models import Petition, PetitionFigures
from petitions.selectors import petition_figures, petition_figures_raw

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ZONE = figures.local_zone()


def _periods():
    """A year of whole months, a ragged month (hours cut at both ends), today so far, and a long span whose
    year-before overlaps it."""
    now = datetime.datetime.now(ZONE)
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return [
        (month.replace(year=month.year - 1), month + datetime.timedelta(days=40)),
        (now - datetime.timedelta(days=33, hours=5), now + datetime.timedelta(hours=3)),
        (now.replace(hour=0, minute=0, second=0, microsecond=0), now + datetime.timedelta(hours=1)),
        (now - datetime.timedelta(days=400, minutes=7), now + datetime.timedelta(days=1)),
    ]


def _nodes(petition):
    return [petition.compound, Community.objects.get(pk=petition.community_id),
            Street.objects.get(pk=petition.street_id), petition.district]


def _rows():
    return sorted(PetitionFigures.objects.values_list(
        "span", "level", "node_id", "start", "total", "rejected", "merged", "resolved", "on_time", "in_compound",
        "escalated", "ratings", "satisfied", "rated", "rated_satisfied", "by_channel", "by_category", "to_accept",
        "to_resolve", "departments"),
        key=lambda r: r[:4])


def _assert_summaries_match(petition):
    for node in _nodes(petition):
        for start, end in _periods():
            assert petition_figures(node, start, end) == petition_figures_raw(node, start, end), (node, start, end)


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    """Runs a change as in production: its transaction commits, the queued refresh runs (eager Celery), and the
    minute's beat counts new petitions."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        tasks.refresh_new_figures()
        return result

    return run


def test_the_seeded_summaries_equal_the_raw_figures(main_district):
    petition = Petition.objects.filter(district=main_district).order_by("pk").first()
    _assert_summaries_match(petition)


def test_summaries_follow_every_kind_of_change(users, submit, main_district, run_after_commit):
    firm, resident = users["firm_staff"], users["resident"]
    # given a new petition, and another one rejected
    petition = run_after_commit(submit)
    _assert_summaries_match(petition)
    rejected = run_after_commit(lambda: submit())
    run_after_commit(lambda: services.petition_reject(actor=firm, petition=rejected, reason="不属于物业范围"))
    _assert_summaries_match(petition)
    # accepted, worked on, answered and resolved
    run_after_commit(lambda: services.petition_accept(actor=firm, petition=petition))
    run_after_commit(lambda: services.petition_start(actor=firm, petition=petition))
    run_after_commit(lambda: services.petition_reply(actor=firm, petition=petition, text="已处理"))
    run_after_commit(lambda: services.petition_resolve(actor=firm, petition=petition))
    _assert_summaries_match(petition)
    # rated low twice: reopened, then escalated
    for _ in range(2):
        run_after_commit(lambda: services.petition_rate(actor=resident, petition=petition, rating=2))
        run_after_commit(lambda: services.petition_reply(actor=firm, petition=petition, text="再处理"))
        run_after_commit(lambda: services.petition_resolve(actor=firm, petition=petition))
    _assert_summaries_match(petition)
    # a duplicate merged into a third petition, which the sweep escalates to the street
    original = run_after_commit(submit)
    duplicate = run_after_commit(submit)
    run_after_commit(lambda: services.petition_merge(actor=firm, duplicate=duplicate, original=original))
    for _ in range(2):
        due = Petition.objects.get(pk=original.pk).deadline + datetime.timedelta(seconds=1)
        run_after_commit(lambda due=due: services.sweep_deadlines(now=due))
    original.refresh_from_db()
    assert original.level == "street" and original.escalations == 2
    _assert_summaries_match(original)
    # whistled: one department answers, the other is late
    police = Department.objects.get(district=main_district, kind="police")
    fire = Department.objects.get(district=main_district, kind="fire")
    whistles = run_after_commit(lambda: services.petition_whistle(
        actor=users["street_office"], petition=original, departments=[police.pk, fire.pk]))
    run_after_commit(lambda: services.whistle_answer(actor=users["department_staff"], petition=original,
                                                     answer="已出警"))
    run_after_commit(lambda: services.sweep_deadlines(now=whistles[0].due_at + datetime.timedelta(seconds=1)))
    _assert_summaries_match(original)
    # rated well, closed; then the petition resolved earlier is rated too
    petition.refresh_from_db()
    run_after_commit(lambda: services.petition_rate(actor=resident, petition=petition, rating=5))
    _assert_summaries_match(petition)
    figures_now = petition_figures(original.compound, *_periods()[2])
    assert figures_now["departments"] and figures_now["total"] >= 4
    # and the rows kept incrementally are those the nightly rebuild computes from scratch
    kept = _rows()
    tasks.rebuild_figures()
    assert _rows() == kept


def test_month_rows_hold_every_bucket_and_day_rows_the_buckets_used(main_district):
    months = PetitionFigures.objects.filter(span="month", district_id=main_district.pk)
    assert months.filter(resolved__gt=0).exists()
    for row in months:
        # a list of fixed length, so that a year of months sums the same work at any number of petitions
        assert len(row.to_accept) == len(row.to_resolve) == figures.HISTOGRAM_LENGTH
        assert sum(row.to_resolve) == row.resolved
    day = PetitionFigures.objects.filter(span="day", district_id=main_district.pk, resolved__gt=0).first()
    assert isinstance(day.to_resolve, dict) and sum(day.to_resolve.values()) == day.resolved


def test_the_migration_turns_month_maps_into_lists_and_back(main_district):
    migration = importlib.import_module("petitions.migrations.0007_figures_month_histograms_as_lists")
    kept = _rows()
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKWARD + " WHERE span = 'month'")
    month = PetitionFigures.objects.filter(span="month", district_id=main_district.pk, resolved__gt=0).first()
    assert isinstance(month.to_resolve, dict) and sum(month.to_resolve.values()) == month.resolved
    with connection.cursor() as cursor:
        cursor.execute(migration.FORWARD + " WHERE span = 'month'")
    assert _rows() == kept


def test_a_change_queues_one_refresh_per_compound_day(users, submit, django_capture_on_commit_callbacks):
    petition = submit()
    with django_capture_on_commit_callbacks() as callbacks:
        services.petition_accept(actor=users["firm_staff"], petition=petition)
        services.petition_reply(actor=users["firm_staff"], petition=petition, text="已处理")
        services.petition_resolve(actor=users["firm_staff"], petition=petition)
    refreshes = [c for c in callbacks if isinstance(c, figures._Refresh)]
    assert [r.key for r in refreshes] == [figures._key(petition)]


def test_a_refresh_is_idempotent(submit, run_after_commit):
    petition = run_after_commit(submit)
    kept = _rows()
    figures.refresh(*figures._key(petition))
    figures.refresh(*figures._key(petition))
    assert _rows() == kept


def test_reading_costs_the_same_queries_whatever_the_number_of_petitions(main_district, django_assert_num_queries):
    start, end = _periods()[1]  # whole days and months, and ragged hours at both ends
    petition_figures(main_district, start, end)  # warm caches
    with django_assert_num_queries(5) as before:  # summaries, two ragged ends, category and department names
        petition_figures(main_district, start, end)
    # when the district gets ten times as many petitions in the period
    template = Petition.objects.filter(district=main_district, created_at__gte=start + datetime.timedelta(days=1),
                                       created_at__lt=end - datetime.timedelta(days=1))
    clones = []
    for p in template:
        for i in range(9):
            p.pk, p.external_ref = None, f"X{i}-{p.external_ref}" if p.external_ref else ""
            clones.append(Petition(**{f.attname: getattr(p, f.attname) for f in Petition._meta.concrete_fields}))
    Petition.objects.bulk_create(clones)
    figures.rebuild(main_district.pk)
    with django_assert_num_queries(len(before.captured_queries)):
        bigger = petition_figures(main_district, start, end)
    assert bigger == petition_figures_raw(main_district, start, end)
    assert bigger["total"] >= 10 * template.count()


def test_a_period_is_cut_into_whole_months_whole_days_and_ragged_hours():
    def at(*args):
        return datetime.datetime(*args, tzinfo=ZONE)

    year = figures.split(at(2026, 1, 1), at(2027, 1, 1))
    assert len(year.months) == 12 and year.days == [] and year.edges == []
    ragged = figures.split(at(2026, 1, 30, 8), at(2026, 4, 2, 9))
    assert ragged.months == [datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)]
    assert ragged.days == [(datetime.date(2026, 1, 31), datetime.date(2026, 2, 1)),
                           (datetime.date(2026, 4, 1), datetime.date(2026, 4, 2))]
    assert ragged.edges == [(at(2026, 1, 30, 8), at(2026, 1, 31)), (at(2026, 4, 2), at(2026, 4, 2, 9))]
    inside = figures.split(at(2026, 5, 3, 1), at(2026, 5, 3, 5))
    assert (inside.months, inside.days, inside.edges) == ([], [], [(at(2026, 5, 3, 1), at(2026, 5, 3, 5))])
    utc = datetime.UTC  # local midnight given in UTC is still a whole day
    assert figures.split(at(2026, 5, 3).astimezone(utc), at(2026, 5, 5).astimezone(utc)).edges == []


@given(st.lists(st.integers(min_value=0, max_value=100 * 86400), min_size=1, max_size=60))
def test_the_histogram_median_is_the_median_of_the_bucket_values(seconds):
    durations = [datetime.timedelta(seconds=s) for s in seconds]
    values = sorted(figures.bucket_value(figures.bucket(d)) for d in durations)
    expected = statistics.median(values)
    assert figures.median_of(Counter(figures.bucket(d) for d in durations)) == expected
    # and the bucket's value is within 2.5 % of every duration from a minute on
    for d, v in zip(sorted(durations), values, strict=True):
        if datetime.timedelta(minutes=1) <= d < datetime.timedelta(days=90):
            assert abs(v - d) <= d * 0.025 + datetime.timedelta(seconds=1)


def test_the_figures_are_kept_by_the_beat():
    tasks_on_beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"petitions.tasks.refresh_new_figures", "petitions.tasks.rebuild_figures"} <= tasks_on_beat


def test_the_minutes_recount_costs_the_same_queries_however_many_compounds_were_busy(submit, main_district):
    """`refresh_new` recounts each district-day once, not once per busy compound (each recount passes over the
    district's petitions of the day)."""
    from django.test.utils import CaptureQueriesContext

    from communities.models import Compound

    others = list(Compound.objects.filter(district=main_district).order_by("pk")[1:4])
    # given one busy compound
    one = submit()
    with CaptureQueriesContext(connection) as alone:
        assert figures.refresh_new() == 1
    # when three more compounds of the district receive petitions the same day
    for compound in others:
        moved = submit()
        Petition.objects.filter(pk=moved.pk).update(compound=compound, community_id=compound.community_id,
                                                    street_id=compound.street_id)
    with CaptureQueriesContext(connection) as busy:
        assert figures.refresh_new() == 1 + len(others)
    # then the recount costs the same queries, and counts every compound's petitions
    assert len(busy.captured_queries) == len(alone.captured_queries)
    for node in [main_district, one.compound, *others]:
        start, end = _periods()[2]
        assert petition_figures(node, start, end) == petition_figures_raw(node, start, end), node
