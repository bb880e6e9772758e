"""A resident's ballot in the portal: distinct choices, a confirmation step, what the ballot counts, and closed
results told right (a council by head, owners by head and area)."""

import datetime

import pytest
from django.urls import reverse

from communities.models import Residency
from governance.models import Ballot, Body, TermReminder, Vote, Voter
from governance.services import bodies_remind_terms

pytestmark = pytest.mark.django_db


def test_three_distinct_choices_lead_to_a_confirmation_before_the_ballot_is_cast(resident, users, open_vote):
    vote = open_vote()
    page = resident.get(reverse("portal:vote", args=[vote.pk])).content.decode()
    for choice in ("approve", "oppose", "abstain"):
        assert f'class="choice choice-{choice}"' in page
    assert 'method="get"' in page and "onclick" not in page and "<script" not in page

    confirm = resident.get(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "oppose"})
    assert confirm.status_code == 200
    assert "反对" in confirm.content.decode() and 'name="choice" value="oppose"' in confirm.content.decode()
    assert not Ballot.objects.filter(vote=vote).exists()  # looking is not voting

    response = resident.post(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "oppose"})
    assert response.status_code == 302
    assert Ballot.objects.get(vote=vote, voter__person__user=users["resident"]).choice == "oppose"


def test_a_confirmation_without_a_choice_is_a_400_and_another_compounds_vote_a_404(resident, client, users,
                                                                                    open_vote):
    vote = open_vote()
    assert resident.get(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "maybe"}).status_code == 400
    client.force_login(users["resident_2"])
    assert client.get(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "approve"}).status_code == 404
    assert client.post(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "approve"}).status_code == 404


def test_the_page_says_which_dwellings_and_area_the_ballot_counts(resident, users, open_vote):
    vote = open_vote()
    voter = Voter.objects.get(vote=vote, person__user=users["resident"])
    weight = resident.get(reverse("portal:vote", args=[vote.pk])).context["weight"]
    assert weight["area"] == voter.area == sum(h.floor_area for h in weight["counted"])
    assert {h.pk for h in weight["counted"]} == set(voter.households)
    # every other dwelling of the resident is named with the reason it does not count
    own = set(Residency.objects.filter(person__user=users["resident"]).values_list("household_id", flat=True))
    assert {o["household"].pk for o in weight["others"]} == own - set(voter.households)
    assert all(o["reason"] for o in weight["others"])


def test_an_owner_of_two_dwellings_counts_once_with_both_areas(resident, users, open_vote, demo_compound):
    from decimal import Decimal

    from communities.models import Building, Household

    person = users["resident"].person
    building = Building.objects.filter(compound=demo_compound).first()
    extra = Household.objects.create(
        district_id=demo_compound.district_id, street_id=demo_compound.street_id,
        community_id=demo_compound.community_id, compound=demo_compound, building=building, unit="9",
        room="909", floor_area=Decimal("88.40"))
    Residency.objects.create(person=person, household=extra, relation=Residency.Relation.OWNER)
    vote = open_vote()
    page = resident.get(reverse("portal:vote", args=[vote.pk]))
    weight = page.context["weight"]
    assert extra in weight["counted"] and len(weight["counted"]) >= 2
    assert "人数按一人计，面积合并计算" in page.content.decode()


def test_a_closed_council_vote_shows_members_not_a_zero_area(resident, demo_compound):
    council = Vote.objects.filter(compound=demo_compound, is_council=True, status="closed").first()
    assert council is not None, "the demo holds a closed council vote in the resident's compound"
    html = resident.get(reverse("portal:vote", args=[council.pk])).content.decode()
    assert "0.00 平方米" not in html and "议事会" in html
    owners = Vote.objects.filter(compound=demo_compound, is_council=False, status="closed").first()
    page = resident.get(reverse("portal:vote", args=[owners.pk]))
    html = page.content.decode()
    counts = owners.counts
    assert f"{counts['participating_area']} 平方米（共 {counts['eligible_area']} 平方米）" in html
    assert [r["heads"] for r in page.context["results"]] == [counts[f"{c}_heads"] for c in
                                                            ("approve", "oppose", "abstain")]


# --- terms that ended ---------------------------------------------------------------------------------------------

def test_a_lapsed_term_is_shown_as_re_election_due_and_reminded(resident, users, demo_compound):
    body = Body.objects.filter(compound=demo_compound, kind=Body.Kind.OWNERS_COMMITTEE).first()
    Body.objects.filter(pk=body.pk).update(formed_on=datetime.date(2019, 6, 1), term_ends_on=datetime.date(2024, 6, 1))
    TermReminder.objects.filter(body=body).delete()
    for url in (reverse("portal:home"), reverse("portal:votes"), reverse("portal:compound", args=[demo_compound.pk])):
        assert "任期已届满，应换届" in resident.get(url).content.decode()
    bodies_remind_terms()
    assert TermReminder.objects.filter(body=body, kind=TermReminder.Kind.LAPSED,
                                       term_ends_on=datetime.date(2024, 6, 1)).exists()


def test_a_running_term_is_not_flagged(resident, demo_compound):
    Body.objects.filter(compound=demo_compound).update(
        formed_on=datetime.date(2024, 6, 1), term_ends_on=datetime.date.today() + datetime.timedelta(days=400))
    assert "任期已届满" not in resident.get(reverse("portal:home")).content.decode()


def test_the_votes_page_costs_the_same_queries_with_more_bodies_and_members(resident, demo_compound):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.models import Person
    from governance.models import BodyMember

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert resident.get(reverse("portal:votes")).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    board = Body.objects.create(compound=demo_compound, kind=Body.Kind.SUPERVISORY_BOARD,
                                formed_on=datetime.date(2023, 1, 1), term_ends_on=datetime.date(2028, 1, 1))
    for n in range(3):
        person = Person.objects.create(district_id=demo_compound.district_id,
                                       community_id=demo_compound.community_id, name=f"监事{n}")
        BodyMember.objects.create(body=board, person=person)
    assert queries() == before


def test_the_home_page_points_to_a_vote_waiting_for_the_ballot(resident, open_vote):
    vote = open_vote()
    home = resident.get(reverse("portal:home")).content.decode()
    assert "有一项表决等您投票" in home and reverse("portal:vote", args=[vote.pk]) in home
    resident.post(reverse("portal:vote_cast", args=[vote.pk]), {"choice": "abstain"})
    assert reverse("portal:vote", args=[vote.pk]) not in resident.get(reverse("portal:home")).content.decode()
