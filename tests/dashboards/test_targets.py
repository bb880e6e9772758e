"""Every campaign target's measure against a count made by hand: a fresh community beside the demo's holds a few
rows of each kind, so its row of the measure is exactly what the test put there; and the progress over the whole
campaign table costs a number of queries that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.html import escape

from communities.models import (
    Building,
    Community,
    Compound,
    Department,
    District,
    ManagementMode,
    Person,
    Role,
    RoleAssignment,
)
from communities.policies import community_policy
from governance import selectors
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    CampaignTarget,
    Coverage,
    Meeting,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
)
from ledger.common import publishing_share
from ledger.models import MonthlyStatement
from petitions.models import Category, CloseReason, HandlerKind, Petition, Whistle
from properties.models import Contract
from rankings.models import FirmResult, Period, Placement, Score

pytestmark = pytest.mark.django_db
M = CampaignTarget.Measure
TODAY = datetime.date(2026, 6, 15)


def _district():
    return District.objects.order_by("pk").first()


@pytest.fixture
def place():
    """A new community of three compounds in the demo district's first street: (community, compounds)."""
    district = _district()
    street = district.streets.order_by("pk").first()
    community = Community.objects.create(district=district, street=street, name="Hand-count community")
    compounds = [Compound.objects.create(community=community, name=f"Hand {i}") for i in range(3)]
    return community, compounds


def _asked(**kwargs):
    values = {"district_id": _district().pk, "starts_on": None, "deadline": datetime.date(2026, 12, 31),
              "today": TODAY, **kwargs}
    return selectors.MeasureAsked(**values)


def _row(measure, community, **asked):
    return selectors.MEASURES[measure].rows(_asked(**asked)).get(community.pk, (0, 0))


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def test_every_measure_is_registered_with_a_definition():
    assert set(selectors.MEASURES) == set(M.values)
    assert all(str(m.definition) for m in selectors.MEASURES.values())


def test_professional_coverage_and_unmanaged_zeroed(place):
    community, (a, b, c) = place
    Compound.objects.filter(pk=b.pk).update(management_mode=ManagementMode.SELF_MANAGED)
    Compound.objects.filter(pk=c.pk).update(management_mode=ManagementMode.UNMANAGED)
    assert _row(M.PROFESSIONAL_COVERAGE, community) == (1, 3)
    assert _row(M.UNMANAGED_ZEROED, community) == (2, 3)


def test_community_office_coverage(place):
    community, _compounds = place
    assert _row(M.COMMUNITY_OFFICE_COVERAGE, community) == (0, 1)
    user = get_user_model().objects.create_user("hand-office", password="x")
    RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_OFFICE, district=community.district,
                                  community=community)
    assert _row(M.COMMUNITY_OFFICE_COVERAGE, community) == (1, 1)


def _petition(compound, created, **kwargs):
    category = Category.objects.filter(district=compound.district_id).order_by("pk").first()
    return Petition.objects.create(compound=compound, district_id=compound.district_id, street_id=compound.street_id,
                                   community_id=compound.community_id, category=category, description="x",
                                   created_at=created,
                                   handler_kind=HandlerKind.COMMUNITY_OFFICE, **kwargs)


def test_complaint_reduction_counts_this_year_against_the_same_span_a_year_before(place):
    community, (a, b, _c) = place
    # given 10 petitions between 1 January and 15 June 2025, one of them a merged duplicate, and one after 15 June
    for i in range(9):
        _petition(a if i % 2 else b, _at(datetime.date(2025, 1, 1) + datetime.timedelta(days=i * 18)))
    _petition(a, _at(datetime.date(2025, 3, 1)), close_reason=CloseReason.MERGED)
    _petition(a, _at(datetime.date(2025, 6, 16)))
    # and 6 this year up to 15 June, one after, one the year before last
    for i in range(6):
        _petition(b, _at(datetime.date(2026, 1, 2) + datetime.timedelta(days=i * 25)))
    _petition(b, _at(datetime.date(2026, 6, 16)))
    _petition(b, _at(datetime.date(2024, 5, 1)))
    # then 9 came last year by 15 June, 6 this year: three fewer of nine, down a third
    assert _row(M.COMPLAINT_REDUCTION, community) == (3, 9)
    target = CampaignTarget(district=_district(), number=99, task="t", measure=M.COMPLAINT_REDUCTION,
                            target_value=Decimal("0.3"), lead_units="a", responsible_units="b",
                            deadline=datetime.date(2026, 12, 31))
    row = selectors.targets_progress([target], Community.objects.filter(pk=community.pk), today=TODAY)[0]
    assert row["overall"] == {"hit": 3, "total": 9, "value": "0.3333", "reached": True}
    # more petitions than last year is a negative fall
    for _i in range(5):
        _petition(a, _at(datetime.date(2026, 2, 1)))
    assert _row(M.COMPLAINT_REDUCTION, community) == (-2, 9)


def test_statements_published_for_the_last_month_over(place, users):
    community, (a, b, c) = place
    for compound, (year, month) in ((a, (2026, 5)), (b, (2026, 5)), (c, (2026, 4))):
        MonthlyStatement.objects.create(compound=compound, district_id=compound.district_id,
                                        street_id=compound.street_id, community_id=compound.community_id,
                                        year=year, month=month, income=Decimal(1), expenses=Decimal(0),
                                        balance=Decimal(1), published_at=timezone.now(), published_by=users["admin"])
    # on 15 June the last month over is May: two of three; the ledger's own share says the same
    assert _row(M.STATEMENTS_PUBLISHED, community) == (2, 3)
    share = publishing_share([a.pk, b.pk, c.pk], year=2026, month=5)
    assert (share["published"], share["compounds"]) == (2, 3)
    # a deadline at the end of May measures April
    assert _row(M.STATEMENTS_PUBLISHED, community, deadline=datetime.date(2026, 5, 31)) == (1, 3)


def test_party_first_review_counts_the_major_items_of_the_campaign(place):
    community, (a, _b, _c) = place
    meeting = Meeting.objects.create(compound=a, kind=Meeting.Kind.MONTHLY_CONSULTATION, title="m",
                                     held_at=_at(datetime.date(2026, 3, 1)))
    old = Meeting.objects.create(compound=a, kind=Meeting.Kind.MONTHLY_CONSULTATION, title="m",
                                 held_at=_at(datetime.date(2025, 3, 1)))
    reviewed = _at(datetime.date(2026, 2, 27))
    AgendaItem.objects.create(meeting=meeting, title="1", is_major=True, pre_reviewed_at=reviewed)
    AgendaItem.objects.create(meeting=meeting, title="2", is_major=True)
    AgendaItem.objects.create(meeting=meeting, title="3", is_major=True, pre_reviewed_at=reviewed)
    AgendaItem.objects.create(meeting=meeting, title="4", is_major=False)
    AgendaItem.objects.create(meeting=old, title="5", is_major=True)
    assert _row(M.PARTY_FIRST_REVIEW, community) == (2, 3)
    assert _row(M.PARTY_FIRST_REVIEW, community, starts_on=datetime.date(2025, 1, 1)) == (2, 4)


def test_whistles_answered_in_time(place):
    community, (a, _b, _c) = place
    department = Department.objects.filter(district=_district()).order_by("pk").first()
    petition = _petition(a, _at(datetime.date(2026, 2, 1)))

    def whistle(blown, due, answered=None):
        # one open whistle per department and petition: each on a petition of its own
        p = _petition(a, _at(datetime.date(2026, 2, 1))) if answered is None else petition
        return Whistle.objects.create(petition=p, district=p.district, department=department,
                                      blown_at=_at(blown), due_at=_at(due), answered_at=answered)

    whistle(datetime.date(2026, 3, 1), datetime.date(2026, 3, 3), _at(datetime.date(2026, 3, 2)))  # in time
    whistle(datetime.date(2026, 3, 1), datetime.date(2026, 3, 3), _at(datetime.date(2026, 3, 5)))  # late
    whistle(datetime.date(2026, 4, 1), datetime.date(2026, 4, 3))  # never answered
    whistle(datetime.date(2026, 6, 14), datetime.date(2026, 6, 18))  # not due yet: not counted
    whistle(datetime.date(2025, 6, 14), datetime.date(2025, 6, 18))  # last year: not counted
    assert _row(M.WHISTLES_ANSWERED, community) == (1, 3)


def test_firms_evaluated_and_off_the_black_list_read_the_latest_published_quarter(place):
    community, (a, b, c) = place
    latest = Period.objects.filter(district=_district(), status=Period.Status.PUBLISHED,
                                   ends_on__lt=timezone.localdate()).order_by("-year", "-quarter").first()
    x, y = FirmResult.objects.filter(period=latest).order_by("pk").values_list("firm_id", flat=True)[:2]
    for compound, firm_id in ((a, x), (b, y)):
        Contract.objects.create(district_id=compound.district_id, firm_id=firm_id, compound=compound,
                                starts_on=datetime.date(2020, 1, 1), status=Contract.Status.ACTIVE,
                                fee_standard=Decimal("1.50"))
    Score.objects.create(period=latest, firm_id=x, district_id=a.district_id, compound=a, street_id=a.street_id,
                         community_id=a.community_id, score=Decimal("50"), breakdown={})
    FirmResult.objects.filter(period=latest, firm_id=x).update(placement=Placement.BLACK)
    FirmResult.objects.filter(period=latest, firm_id=y).update(placement=Placement.NONE)
    today = timezone.localdate()
    # c has no firm and is not counted; a's firm was scored there, b's was not; a's firm is black-listed
    assert _row(M.FIRMS_EVALUATED, community, today=today) == (1, 2)
    assert _row(M.FIRMS_OFF_BLACK_LIST, community, today=today) == (1, 2)


def test_the_whole_table_costs_one_query_per_target_whatever_the_data(users, django_assert_max_num_queries, place):
    targets_ = list(CampaignTarget.objects.filter(district=_district()))
    measured = [t for t in targets_ if t.measure]
    assert len({t.measure for t in measured}) >= 13
    communities = community_policy.visible(users["district_org"])
    # one for the communities and one per measure, one more for the training's street rows (the street-only
    # measures give no community rows and ask nothing for them), and one for the streets seen whole
    budget = 1 + len(measured) + 1 + 1
    with django_assert_max_num_queries(budget):
        rows = selectors.targets_progress(targets_, communities, today=TODAY)
    assert [r["number"] for r in rows] == [t.number for t in targets_]
    # twice the communities and compounds: the same count
    community, _compounds = place
    for i in range(3):
        extra = Community.objects.create(district=community.district, street=community.street, name=f"More {i}")
        Compound.objects.create(community=extra, name="More")
    with django_assert_max_num_queries(budget):
        selectors.targets_progress(targets_, communities, today=TODAY)


def test_the_admin_shows_each_measure_s_definition(client, users):
    client.force_login(users["district_org"])
    with translation.override("en"):
        form = client.get("/admin/governance/campaigntarget/add/", HTTP_ACCEPT_LANGUAGE="en")
        progress = client.get("/admin/governance/campaigntarget/progress/", HTTP_ACCEPT_LANGUAGE="en")
        definitions = {code: escape(str(m.definition)) for code, m in selectors.MEASURES.items()}
    assert form.status_code == 200 and progress.status_code == 200
    for definition in definitions.values():
        assert definition in form.content.decode()
    assert definitions[M.COMPLAINT_REDUCTION] in progress.content.decode()


def test_the_governance_measures_count_by_hand(place, users):
    community, (a, b, c) = place
    district = community.district
    people = list(Person.objects.filter(district=district).exclude(
        pk__in=PartyMember.objects.values("person_id")).order_by("pk")[:4])
    # party organization in a; commissioner in a and b; owners' committee in b (formed 2026) and c (2020)
    PartyOrganization.objects.create(district=district, community=community, compound=a,
                                     kind=PartyOrganization.Kind.COMPOUND_BRANCH, name="Branch")
    for compound in (a, b):
        RoleAssignment.objects.create(user=get_user_model().objects.create_user(f"hand-{compound.pk}"),
                                      role=Role.COMMISSIONER, district=district, compound=compound)
    new = Body.objects.create(compound=b, kind=Body.Kind.OWNERS_COMMITTEE, formed_on=datetime.date(2026, 3, 1))
    old = Body.objects.create(compound=c, kind=Body.Kind.OWNERS_COMMITTEE, formed_on=datetime.date(2020, 3, 1))
    Body.objects.create(compound=a, kind=Body.Kind.SUPERVISORY_BOARD)  # not a committee
    BodyMember.objects.create(body=new, person=people[0], is_party_member=True)
    BodyMember.objects.create(body=new, person=people[1], is_party_member=False)
    BodyMember.objects.create(body=old, person=people[2], is_party_member=True)
    PartyCoverage.objects.create(district=district, body=new, coverage=Coverage.JOINT)
    PartyCoverage.objects.create(district=district, body=old, coverage=Coverage.NONE)
    # three buildings, one headed; two in-service members of the community, one reported, and one retired
    buildings = [Building.objects.create(compound=a, name=str(i)) for i in range(3)]
    BuildingHead.objects.create(district=district, compound=a, building=buildings[0], person=people[3])
    PartyMember.objects.create(district=district, community=community, person=people[0],
                               kind=PartyMember.Kind.IN_SERVICE, reported_on=datetime.date(2026, 1, 5))
    PartyMember.objects.create(district=district, community=community, person=people[1],
                               kind=PartyMember.Kind.IN_SERVICE)
    retired = [k for k in PartyMember.Kind.values if k != PartyMember.Kind.IN_SERVICE][0]
    PartyMember.objects.create(district=district, community=community, person=people[2], kind=retired)

    assert _row(M.PARTY_ORGANIZATION_COVERAGE, community) == (1, 3)
    assert _row(M.COMMISSIONER_COVERAGE, community) == (2, 3)
    assert _row(M.OWNERS_COMMITTEE_COVERAGE, community) == (2, 3)
    assert _row(M.COMMITTEE_PARTY_MEMBER_SHARE, community) == (2, 3)
    assert _row(M.COMMITTEE_PARTY_MEMBER_SHARE, community, starts_on=datetime.date(2026, 1, 1)) == (1, 2)
    assert _row(M.COMMITTEE_PARTY_COVERAGE, community) == (1, 2)
    assert _row(M.BUILDING_HEAD_COVERAGE, community) == (1, 3)
    assert _row(M.MEMBER_REPORTING_RATE, community) == (1, 2)
    assert _row(M.ELECTRONIC_BALLOT_SHARE, community) == (0, 0)  # no vote here: no figure, not 0%


def test_the_api_route_gives_the_measures_of_the_upper_apps(as_user):
    rows = as_user("district_org").get("/api/v1/governance/targets/progress/").json()
    by_number = {r["number"]: r for r in rows}
    assert by_number[9]["measure"] == M.PROFESSIONAL_COVERAGE and by_number[9]["overall"]["total"] > 0
    assert by_number[11]["measure"] == M.STATEMENTS_PUBLISHED and by_number[11]["overall"] is not None
