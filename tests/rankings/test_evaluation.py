"""The quarter's evaluation: set-based scoring with its breakdown, recompute == stored, the review chain, appeals,
the veto, the two-strike rule both ways, stars and the priority order."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Compound
from core.errors import DomainError
from notifications.models import Notification
from properties.models import Contract, Firm
from rankings import selectors, services
from rankings.models import (
    Appraisal,
    ExitCase,
    FirmResult,
    Period,
    Placement,
    Review,
    Score,
    Stars,
    Talk,
)
from tests.rankings.conftest import black_in, make_period


@pytest.fixture(autouse=True)
def _own_quarters(clean_slate):
    """These tests make their own quarters."""


def _stored(period):
    return {(s.firm_id, s.compound_id): (s.score, s.vetoed, s.breakdown) for s in Score.objects.filter(period=period)}


@pytest.mark.django_db
def test_every_firm_is_scored_in_every_compound_it_served_and_recompute_equals_stored(users, place, period):
    services.appraisal_save(actor=users["community_office"], period=period, compound=place["compound"],
                            firm_id=place["firm_id"], score=Decimal("85"), reasons="按时巡查，整改及时")
    services.period_compute(actor=users["district_center"], period=period)

    stored = _stored(period)
    assert set(stored) == {(f, c) for f, c, _s, _m in services.served_pairs(period)}
    score, vetoed, breakdown = stored[place["firm_id"], place["compound"].pk]
    parts = {p["code"]: p for p in breakdown["parts"]}
    assert parts["community"]["value"] == "85.00"
    assert "fee_collection" in breakdown["spread"] and "ledger" in breakdown["note"]
    # recompute from the same inputs: the same figures, in the database and from evaluate()
    scores, results = services.evaluate(period)
    assert {(s.firm_id, s.compound_id): (s.score, s.vetoed, s.breakdown) for s in scores} == stored
    services.period_compute(actor=users["district_center"], period=period)
    assert _stored(period) == stored
    assert {r.firm_id: r.score for r in results} == dict(FirmResult.objects.filter(period=period).values_list(
        "firm_id", "score"))


@pytest.mark.django_db
def test_scoring_costs_the_same_queries_whatever_the_number_of_firms(users, place, period):
    with CaptureQueriesContext(connection) as before:
        services.period_compute(period=period)
    pairs = len(services.served_pairs(period))
    # given three more firms that served compounds during the quarter
    compounds = list(Compound.objects.filter(district=place["district"]).order_by("pk")[:6])
    for i in range(3):
        firm = Firm.objects.create(district=place["district"], name=f"新增物业{i}", group=_group(f"extra{i}"))
        for compound in compounds[2 * i:2 * i + 2]:
            Contract.objects.create(district=place["district"], firm=firm, compound=compound,
                                    starts_on=period.starts_on, ends_on=period.ends_on, status=Contract.Status.ENDED)
    with CaptureQueriesContext(connection) as after:
        services.period_compute(period=period)
    assert len(services.served_pairs(period)) == pairs + 6
    assert len(after) == len(before)


def _group(name):
    from django.contrib.auth.models import Group

    return Group.objects.create(name=name)


@pytest.mark.django_db
def test_a_serious_incident_black_lists_whatever_the_score_and_an_upheld_appeal_recomputes(users, place, period):
    street_office = users["street_office"]
    incident = services.incident_record(actor=street_office, period=period, compound=place["compound"],
                                        firm_id=place["firm_id"], occurred_on=period.starts_on,
                                        description="电梯困人未及时处置")
    assert incident.pk
    with pytest.raises(DomainError):  # outside the quarter
        services.incident_record(actor=street_office, period=period, compound=place["compound"],
                                 firm_id=place["firm_id"], occurred_on=period.ends_on + datetime.timedelta(days=1),
                                 description="x")
    _publish(users, place, period)
    result = FirmResult.objects.get(period=period, firm_id=place["firm_id"])
    assert result.vetoed and result.placement == Placement.BLACK
    assert Talk.objects.filter(period=period, firm_id=place["firm_id"]).exists()

    appeal = services.appeal_file(actor=users["firm_staff"], period=period, firm_id=place["firm_id"],
                                  reason="事故系业主私拉电线所致")
    with pytest.raises(DomainError):  # one open appeal at a time
        services.appeal_file(actor=users["firm_staff"], period=period, firm_id=place["firm_id"], reason="again")
    with pytest.raises((PermissionDenied, Http404, DomainError)):
        services.appeal_decide(actor=users["firm_staff"], appeal=appeal, upheld=True, decision="x")
    services.appeal_decide(actor=users["district_center"], appeal=appeal, upheld=True,
                           decision="经核实，事故责任不在物业", withdraw_incidents=True)
    result = FirmResult.objects.get(period=period, firm_id=place["firm_id"])
    assert not result.vetoed
    assert (result.placement == Placement.BLACK) == (result.score < Decimal("60"))
    assert not Score.objects.filter(period=period, vetoed=True, firm_id=place["firm_id"]).exists()


@pytest.mark.django_db
def test_an_appeal_after_the_configured_days_is_refused(users, place, period):
    _publish(users, place, period)
    late = period.published_at + datetime.timedelta(days=8)
    with pytest.raises(DomainError):
        services.appeal_file(actor=users["firm_staff"], period=period, firm_id=place["firm_id"], reason="x", now=late)
    with pytest.raises((PermissionDenied, Http404)):  # another firm's result is not this firm's to appeal
        other = FirmResult.objects.filter(period=period).exclude(firm_id=place["firm_id"]).first()
        services.appeal_file(actor=users["firm_staff"], period=period, firm_id=other.firm_id, reason="x")


def _keep_only(period, compound):
    """Leaves the scores of one compound, so that one community and one street review."""
    Score.objects.filter(period=period).exclude(compound=compound).delete()


def _publish(users, place, period):
    services.period_compute(actor=users["district_center"], period=period)
    _keep_only(period, place["compound"])
    services.review_add(actor=users["community_office"], period=period, opinion="社区审核通过")
    services.review_add(actor=users["street_office"], period=period, opinion="街道审核通过")
    services.review_add(actor=users["district_center"], period=period, opinion="区中心审定，予以公布")
    period.refresh_from_db()
    return period


@pytest.mark.django_db
def test_review_runs_community_then_street_then_district_centre(users, place, period):
    with pytest.raises(DomainError):  # nothing to review before scoring
        services.review_add(actor=users["community_office"], period=period, opinion="x")
    services.period_compute(actor=users["district_center"], period=period)
    _keep_only(period, place["compound"])
    for actor in ("street_office", "district_center"):
        with pytest.raises(DomainError):
            services.review_add(actor=users[actor], period=period, opinion="过早")
    with pytest.raises(DomainError):
        services.review_add(actor=users["community_office"], period=period, opinion="  ")
    services.review_add(actor=users["community_office"], period=period, opinion="社区审核通过")
    with pytest.raises(DomainError):
        services.review_add(actor=users["community_office"], period=period, opinion="twice")
    with pytest.raises(DomainError):
        services.review_add(actor=users["district_center"], period=period, opinion="过早")
    with pytest.raises(DomainError):  # another street has nothing of its own to review
        services.review_add(actor=users["street_office_2"], period=period, opinion="x")
    services.review_add(actor=users["street_office"], period=period, opinion="街道审核通过")
    with pytest.raises((DomainError, PermissionDenied, Http404)):
        services.review_add(actor=users["firm_staff"], period=period, opinion="x")
    services.review_add(actor=users["district_center"], period=period, opinion="予以公布")
    period.refresh_from_db()
    assert period.status == Period.Status.PUBLISHED and period.published_at
    reviews = list(Review.objects.filter(period=period).values_list("level", "opinion"))
    assert [level for level, _o in reviews] == ["community", "street", "district"]
    assert all(r.reviewed_at for r in Review.objects.filter(period=period))
    with pytest.raises(DomainError):  # a published quarter is recomputed only by an upheld appeal
        services.period_compute(actor=users["district_center"], period=period)


@pytest.mark.django_db
def test_two_black_listings_within_one_term_flag_the_contract_and_open_the_exit(users, place):
    contract = place["contract"]
    Contract.objects.filter(pk=contract.pk).update(starts_on=datetime.date(2024, 1, 1),
                                                   ends_on=datetime.date(2026, 12, 31))
    black_in(users, place["district"], place["firm_id"], 2024, 2)
    contract.refresh_from_db()
    assert contract.may_end_early_since is None
    black_in(users, place["district"], place["firm_id"], 2025, 3)
    contract.refresh_from_db()
    assert contract.may_end_early_since is not None
    case = ExitCase.objects.get(contract=contract)
    assert case.reason == ExitCase.Reason.TWO_STRIKES and case.status == ExitCase.Status.OPEN
    # the committee, the community and the street are told, each notice about the exit case
    told = set(Notification.objects.for_target(case).values_list("user__username", flat=True))
    assert {"committee_member", "community_office", "street_office"} <= told
    # a third listing neither flags again nor opens a second exit
    black_in(users, place["district"], place["firm_id"], 2026, 1)
    assert ExitCase.objects.filter(contract=contract).count() == 1


@pytest.mark.django_db
def test_one_black_listing_in_each_of_two_terms_flags_nothing(users, place):
    contract = place["contract"]
    Contract.objects.filter(pk=contract.pk).update(starts_on=datetime.date(2024, 1, 1),
                                                   ends_on=datetime.date(2026, 12, 31))
    # the earlier term, ended; one listing in it
    Contract.objects.create(district=place["district"], firm_id=place["firm_id"], compound=place["compound"],
                            starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2023, 12, 31),
                            status=Contract.Status.ENDED)
    black_in(users, place["district"], place["firm_id"], 2023, 3)
    black_in(users, place["district"], place["firm_id"], 2024, 2)
    contract.refresh_from_db()
    assert contract.may_end_early_since is None
    assert not ExitCase.objects.filter(contract__compound=place["compound"]).exists()


@pytest.mark.django_db
def test_appraisals_by_role_with_reasons_and_only_where_the_office_works(users, place, period):
    args = {"period": period, "compound": place["compound"], "firm_id": place["firm_id"], "score": Decimal("90")}
    services.appraisal_save(actor=users["committee_member"], reasons="业主评价良好", **args)
    services.appraisal_save(actor=users["street_office"], reasons="街道考评", **args)
    assert set(Appraisal.objects.filter(period=period).values_list("level", flat=True)) == {"committee", "street"}
    with pytest.raises(DomainError):
        services.appraisal_save(actor=users["community_office"], reasons=" ", **args)
    with pytest.raises((DomainError, PermissionDenied, Http404)):
        services.appraisal_save(actor=users["street_office_2"], reasons="x", **args)
    with pytest.raises((DomainError, PermissionDenied, Http404)):
        services.appraisal_save(actor=users["firm_staff"], reasons="x", **args)


@pytest.mark.django_db
def test_annual_stars_and_the_priority_order(users, place):
    district = place["district"]
    firms = list(Firm.objects.filter(district=district).order_by("pk"))
    for quarter in (1, 2):
        period = make_period(users, district, 2025, quarter)
        services.period_compute(period=period)
        Period.objects.filter(pk=period.pk).update(status=Period.Status.PUBLISHED, published_at=timezone.now())
        FirmResult.objects.filter(period=period).delete()
        FirmResult.objects.bulk_create([
            FirmResult(period=period, firm=firms[0], score=Decimal("92"), compounds=1, rank=1,
                       placement=Placement.RED),
            FirmResult(period=period, firm=firms[1], score=Decimal("85"), compounds=1, rank=2),
            FirmResult(period=period, firm=firms[2], score=Decimal("95"), compounds=1, rank=3, vetoed=True,
                       placement=Placement.BLACK),
        ])
    services.stars_compute(district_id=district.pk, year=2025)
    stars = dict(Stars.objects.filter(year=2025).values_list("firm_id", "stars"))
    assert stars == {firms[0].pk: 5, firms[1].pk: 4, firms[2].pk: 2}
    ordered = list(selectors.firms_by_priority(district.pk, year=2026))
    assert ordered[0] == firms[0] and ordered[0].star_rating == 5 and ordered[0].red_listings == 2
    assert ordered.index(firms[1]) < ordered.index(firms[2])

