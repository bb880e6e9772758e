"""The three-party strength index: documented indicators, the weighted mechanism of core.weighted on figures
counted by hand, set-based computation (queries independent of the number of compounds), the same answer when
recomputed, dense ranks in community, street and district, change over time, validated weights, and the page's
and the API's scope (the matrix is in test_permission_matrix.py beside this file)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Building, Community, Compound, District, Person
from dashboards.models import Dimension, StrengthIndicator, StrengthScore, StrengthWeight
from dashboards.strength import indicators, services
from governance.models import BuildingHead, Meeting

pytestmark = pytest.mark.django_db


def _district():
    return District.objects.order_by("pk").first()


def _fields(row):
    return (row.compound_id, row.score, row.dimensions, row.breakdown, row.rank_community, row.rank_street,
            row.rank_district)


def test_every_indicator_is_documented_in_one_of_five_dimensions():
    assert {d.code for d in indicators.INDICATORS} == set(StrengthIndicator.values)
    assert 18 <= len(indicators.INDICATORS) <= 24
    assert set(indicators.DIMENSIONS) == set(Dimension.values) and all(indicators.DIMENSIONS.values())
    for d in indicators.INDICATORS:
        assert str(d.definition) and str(d.source) and d.direction in indicators.DIRECTIONS and d.weight >= 0
    assert sum(indicators.DEFAULT_WEIGHTS.values()) == 100


def test_the_demo_holds_three_days_with_their_change():
    district = _district()
    days = sorted(set(StrengthScore.objects.filter(district=district).values_list("on", flat=True)))
    assert len(days) == 3
    latest = StrengthScore.objects.filter(district=district, on=days[-1])
    assert latest.count() == Compound.objects.filter(district=district).count()
    assert all(r.previous_on == days[1] and r.change == r.score - StrengthScore.objects.get(
        compound_id=r.compound_id, on=days[1]).score for r in latest[:20])


def test_a_compound_s_index_is_the_weighted_mean_of_values_counted_by_hand():
    # given a new compound of two buildings, one with a head, and three meetings this year
    district = _district()
    street = district.streets.order_by("pk").first()
    community = Community.objects.create(district=district, street=street, name="Strength by hand")
    compound = Compound.objects.create(community=community, name="By hand")
    Building.objects.create(compound=compound, name="1")
    building = Building.objects.create(compound=compound, name="2")
    person = Person.objects.filter(district=district).order_by("pk").first()
    BuildingHead.objects.create(district=district, compound=compound, building=building, person=person)
    today = timezone.localdate()
    for i in range(3):
        Meeting.objects.create(compound=compound, kind=Meeting.Kind.MONTHLY_CONSULTATION, title="m",
                               held_at=timezone.now() - datetime.timedelta(days=30 * i + 1))
    Meeting.objects.create(compound=compound, kind=Meeting.Kind.MONTHLY_CONSULTATION, title="old",
                           held_at=timezone.now() - datetime.timedelta(days=400))
    # and weights on two indicators only: building heads 1, meetings 3
    for code in StrengthIndicator.values:
        StrengthWeight.objects.create(district=district, indicator=code, weight=Decimal(0))
    StrengthWeight.objects.filter(district=district, indicator="building_heads").update(weight=1)
    StrengthWeight.objects.filter(district=district, indicator="meetings_held").update(weight=3)
    # when the index is computed
    services.strength_compute(district=district, on=today)
    row = StrengthScore.objects.get(compound=compound, on=today)
    # then heads 50 and meetings 3 of 12 = 25 weigh (50 × 1 + 25 × 3) / 4 = 31.25
    parts = {p["code"]: p for p in row.breakdown["parts"]}
    assert parts["building_heads"]["value"] == "50.00" and parts["meetings_held"]["value"] == "25.00"
    assert row.score == Decimal("31.25")
    assert row.dimensions["leadership"] == "50.00" and row.dimensions["cohesion"] == "25.00"
    assert row.dimensions["satisfaction"] is None  # every weight of it is 0
    assert row.rank_community == 1


def test_recomputing_gives_the_same_answer():
    district = _district()
    day = StrengthScore.objects.filter(district=district).order_by("-on").values_list("on", flat=True).first()
    before = sorted(_fields(r) for r in StrengthScore.objects.filter(district=district, on=day))
    services.strength_compute(district=district, on=day)
    after = sorted(_fields(r) for r in StrengthScore.objects.filter(district=district, on=day))
    assert before == after


def test_the_computation_is_set_based(users):
    district = _district()
    day = timezone.localdate()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            services.evaluate(district.pk, day)
        return len(ctx.captured_queries)

    first = queries()
    community = Community.objects.filter(district=district).order_by("pk").first()
    for i in range(5):
        compound = Compound.objects.create(community=community, name=f"More {i}")
        Building.objects.create(compound=compound, name="1")
    assert queries() == first
    assert first <= 25


def test_ranks_are_dense_within_community_street_and_district():
    district = _district()
    day = StrengthScore.objects.filter(district=district).order_by("-on").values_list("on", flat=True).first()
    rows = list(StrengthScore.objects.filter(district=district, on=day))
    for field, key in (("rank_community", "community_id"), ("rank_street", "street_id"),
                       ("rank_district", "district_id")):
        groups = {}
        for r in rows:
            groups.setdefault(getattr(r, key), []).append(r)
        for members in groups.values():
            distinct = sorted({m.score for m in members}, reverse=True)
            for m in members:
                assert getattr(m, field) == distinct.index(m.score) + 1


def test_dense_ranks_share_ties():
    ranks = services.dense_ranks({1: Decimal(80), 2: Decimal(90), 3: Decimal(80), 4: Decimal(70)}, dict.fromkeys(
        (1, 2, 3, 4), 0))
    assert ranks == {2: 1, 1: 2, 3: 2, 4: 3}


def test_weights_are_validated_and_set_by_the_district_organization_department(users):
    district = _district()
    row = services.weight_set(actor=users["district_org"], district=district, indicator="survey",
                              weight=Decimal("12.5"))
    assert services.weights_for(district.pk)["survey"] == Decimal("12.50") and row.pk
    with pytest.raises(ValidationError):
        services.weight_set(actor=users["district_org"], district=district, indicator="survey", weight=Decimal(-1))
    with pytest.raises(ValidationError):
        services.weight_set(actor=users["district_org"], district=district, indicator="nonsense", weight=1)
    for code in StrengthIndicator.values:
        if code != "survey":
            StrengthWeight.objects.update_or_create(district=district, indicator=code, defaults={"weight": 0})
    with pytest.raises(ValidationError):
        services.weight_set(actor=users["district_org"], district=district, indicator="survey", weight=0)
    with pytest.raises(Http404):  # the district's weights are not the street's to see
        services.weight_set(actor=users["street_office"], district=district, indicator="survey", weight=1)
    with pytest.raises(PermissionDenied):  # the centre sees them but does not set them
        services.weight_set(actor=users["district_center"], district=district, indicator="survey", weight=1)


def test_the_index_is_not_computed_for_a_day_to_come(users):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        services.strength_compute(district=_district(), on=timezone.localdate() + datetime.timedelta(days=1))


def test_the_nightly_task_computes_every_district():
    from dashboards.tasks import compute_strength

    assert compute_strength() == Compound.objects.count()


def test_the_overview_and_the_compound_page_show_the_latest_index(client, users):
    # given the demo's three computed days, the district's overview shows the mean of the latest day's compounds
    # and links the best one; a compound's page shows its own latest index and ranks
    district = _district()
    on = StrengthScore.objects.filter(district=district).latest("on").on
    latest = list(StrengthScore.objects.filter(district=district, on=on).order_by("-score", "compound_id"))
    mean = (sum(r.score for r in latest) / len(latest)).quantize(Decimal("0.1"))
    client.force_login(users["district_org"])
    page = client.get(f"/dashboards/district/{district.pk}/")
    assert page.status_code == 200
    summary = page.context["strength"]
    assert (summary["on"], summary["count"], summary["mean"]) == (on, len(latest), mean)
    html = page.content.decode()
    assert f'/dashboards/strength/compound/{latest[0].compound_id}/' in html and str(mean) in html
    best = latest[0]
    page = client.get(f"/dashboards/compound/{best.compound_id}/")
    assert page.context["strength"]["score"].pk == best.pk
    assert str(best.score) in page.content.decode()


def test_the_overview_shows_no_index_beyond_the_users_scope(client, users):
    # a street office's overview of its street averages its own compounds only
    client.force_login(users["street_office"])
    page = client.get("/dashboards/", follow=True)
    assert page.status_code == 200
    node = page.context["node"]
    summary = page.context["strength"]
    on = StrengthScore.objects.filter(street_id=node.pk).latest("on").on
    assert summary["count"] == StrengthScore.objects.filter(street_id=node.pk, on=on).count() < \
        StrengthScore.objects.filter(district_id=node.district_id, on=on).count()


@pytest.mark.parametrize("value", ["", "2026-13-01", "yesterday"])
def test_the_api_refuses_a_day_that_is_not_a_date(as_user, value):
    # an empty or malformed ?on= is a 400 naming the parameter, not every day's rows (django-filter's default)
    answer = as_user("district_org").get("/api/v1/dashboards/strength/", {"on": value})
    assert answer.status_code == 400 and "on" in answer.json(), answer.content


def test_the_api_filters_by_a_day(as_user):
    on = StrengthScore.objects.filter(district=_district()).latest("on").on
    answer = as_user("district_org").get("/api/v1/dashboards/strength/", {"on": on.isoformat()})
    assert answer.status_code == 200
    assert answer.json()["count"] == StrengthScore.objects.filter(district=_district(), on=on).count() > 0


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday"])
def test_the_compound_page_refuses_a_bad_day_before_reading_the_history(client, users, value):
    compound = StrengthScore.objects.filter(district=_district()).order_by("compound_id").first().compound
    client.force_login(users["district_org"])
    client.get(f"/dashboards/strength/compound/{compound.pk}/")  # the session and the scope are cached
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/dashboards/strength/compound/{compound.pk}/", {"on": value})
    assert page.status_code == 400
    assert not [q["sql"] for q in queries.captured_queries if StrengthScore._meta.db_table in q["sql"]]


def test_the_figures_and_the_index_load_their_node_by_one_rule(users):
    # one loader for both (dashboards.nodes): 404 for an unknown level or id and for a node out of reach
    from dashboards import views
    from dashboards.strength import policies

    district = _district()
    other = District.objects.exclude(pk=district.pk).order_by("pk").first()
    for load in (views.node_or_404, policies.node_or_404):
        assert load(users["district_org"], "district", district.pk) == district
        for level, pk in (("district", other.pk), ("district", 0), ("planet", district.pk)):
            with pytest.raises(Http404):
                load(users["district_org"], level, pk)


@pytest.mark.postgres
def test_the_index_counts_a_compounds_petitions_as_its_dashboard_does():
    """One source for both (the petitions' summary rows) and one rule: every rate counts the petitions neither
    rejected nor merged, so the index's petition indicators are the compound's dashboard figures for the same 365
    days."""
    from dashboards import selectors as dashboard
    from dashboards.periods import Period
    from dashboards.strength import figures as strength_figures
    from petitions import figures
    from petitions.models import CloseReason, Petition, Status
    from petitions.selectors import petition_figures

    district, on = _district(), timezone.localdate()
    compound = Compound.objects.filter(district=district).order_by("pk").first()
    template = Petition.objects.filter(compound=compound).order_by("pk").first()
    at = timezone.now() - datetime.timedelta(days=3)

    def like(**fields):
        values = {f.attname: getattr(template, f.attname) for f in Petition._meta.concrete_fields if f.attname != "id"}
        return Petition(**{**values, "external_ref": "", "created_at": at, "duplicate_of_id": None, **fields})

    # given the petitions the two counts differed on: escalated then rejected; resolved in the compound, rated,
    # reopened and then merged as a duplicate; and a plain resolved one rated 4
    Petition.objects.bulk_create([
        like(status=Status.REJECTED, close_reason="", escalations=2, resolved_at=None, resolved_on_time=None,
             settled_level="", rating=None),
        like(status=Status.CLOSED, close_reason=CloseReason.MERGED, escalations=1, resolved_at=at,
             resolved_on_time=True, settled_level="compound", rating=5),
        like(status=Status.CLOSED, close_reason=CloseReason.RATED, escalations=0, resolved_at=at,
             resolved_on_time=False, settled_level="community", rating=4),
    ])
    figures.rebuild(district.pk)
    # when the index's figures and the dashboard's are read for the same days
    values = indicators.values(strength_figures.district_figures(district.pk, on)[compound.pk])
    period = Period("custom", on - datetime.timedelta(days=364), on)
    own = petition_figures(compound, period.start, period.end)
    row = dashboard.rows_by(compound, "compound", period)[compound.pk]

    def rate(value):
        return None if value is None else round(float(value / 100), 4)

    # then
    K = StrengthIndicator
    assert rate(values[K.RESOLUTION]) == own["resolution_rate"] == row["resolution_rate"]
    assert rate(values[K.ON_TIME]) == own["on_time_rate"] == row["on_time_rate"]
    assert rate(values[K.SETTLED_IN_COMPOUND]) == own["settled_in_compound"] == row["settled_in_compound"]
    assert rate(100 - values[K.ESCALATIONS]) == own["escalated_share"]
    assert values[K.PETITION_RATING] == indicators.rating(row["rating_sum"], row["rated"])
    assert row["rated"] == Petition.objects.filter(
        compound=compound, created_at__gte=period.start, created_at__lt=period.end, rating__isnull=False,
    ).exclude(status=Status.REJECTED).exclude(close_reason=CloseReason.MERGED).count()
