"""The votes API as the issue names it, the portal pages, and the demo's promises."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import Ballot, Candidate, Vote

pytestmark = pytest.mark.django_db


def _resident_open_vote(users):
    return Vote.objects.get(status="open", voters__person__user=users["resident"])


def test_the_demo_leaves_an_open_vote_the_resident_has_not_voted_on(users):
    vote = _resident_open_vote(users)
    assert not Ballot.objects.filter(vote=vote, voter__person__user=users["resident"]).exists()
    assert Ballot.objects.filter(vote=vote).exists()


def test_resident_votes_through_the_api(as_user, users):
    vote = _resident_open_vote(users)
    client = as_user("resident")
    before = client.get(f"/api/v1/governance/votes/{vote.pk}/").json()
    assert before["result"] == "pending" and before["my_choice"] is None
    response = client.post(f"/api/v1/governance/votes/{vote.pk}/ballots/", {"choice": "approve"}, format="json")
    assert response.status_code == 201, response.content
    after = client.get(f"/api/v1/governance/votes/{vote.pk}/").json()
    assert after["my_choice"] == "approve"
    assert after["counts"]["approve_heads"] == before["counts"]["approve_heads"] + 1
    again = client.post(f"/api/v1/governance/votes/{vote.pk}/ballots/", {"choice": "oppose"}, format="json")
    assert again.status_code == 400 and "choice" in again.json()
    assert client.post(f"/api/v1/governance/votes/{vote.pk}/ballots/", {"choice": "maybe"},
                       format="json").status_code == 400


def test_a_resident_elsewhere_gets_404_and_staff_400(as_user, users):
    vote = _resident_open_vote(users)
    assert as_user("resident_2").post(f"/api/v1/governance/votes/{vote.pk}/ballots/", {"choice": "approve"},
                                      format="json").status_code == 404
    assert as_user("district_org_b").get(f"/api/v1/governance/votes/{vote.pk}/").status_code == 404
    # the commissioner is no owner here: an electronic ballot of their own is refused
    assert as_user("commissioner").post(f"/api/v1/governance/votes/{vote.pk}/ballots/", {"choice": "approve"},
                                        format="json").status_code == 400


def test_commissioner_enters_a_paper_ballot_and_follows_up_door_to_door(as_user, users):
    vote = _resident_open_vote(users)
    voter = vote.voters.exclude(ballots__isnull=False).exclude(person__user=users["resident"]).first()
    client = as_user("commissioner")
    pending = client.get(f"/api/v1/governance/votes/{vote.pk}/not-voted/").json()
    assert any(h["id"] in voter.households for b in pending for h in b["households"])
    response = client.post(f"/api/v1/governance/votes/{vote.pk}/ballots/",
                           {"choice": "oppose", "channel": "paper", "voter_person": voter.person_id}, format="json")
    assert response.status_code == 201, response.content
    assert as_user("resident").get(f"/api/v1/governance/votes/{vote.pk}/not-voted/").status_code == 403


def test_open_and_close_a_vote_through_the_api(as_user, make_item):
    item = make_item(major=True)
    client = as_user("community_office")
    body = {"item": item.pk, "rule": "rule_5030",
            "deadline": (timezone.now() + datetime.timedelta(days=3)).isoformat()}
    refused = client.post("/api/v1/governance/votes/", body, format="json")
    assert refused.status_code == 400 and "item" in refused.json()
    assert client.post(f"/api/v1/governance/items/{item.pk}/pre-review/", {"note": "Agreed"},
                       format="json").status_code == 200
    opened = client.post("/api/v1/governance/votes/", body, format="json")
    assert opened.status_code == 201, opened.content
    assert as_user("committee_member").post(f"/api/v1/governance/votes/{opened.json()['id']}/close/").status_code \
        == 403
    closed = client.post(f"/api/v1/governance/votes/{opened.json()['id']}/close/")
    assert closed.status_code == 200 and closed.json()["result"] == "failed"  # nobody voted


def test_closed_demo_votes_carry_their_counts(as_user):
    vote = Vote.objects.filter(status="closed").order_by("pk").first()
    data = as_user("district_org").get(f"/api/v1/governance/votes/{vote.pk}/").json()
    assert data["result"] in ("passed", "failed") and data["counts"]["eligible_heads"] > 0


def test_coverage_figures_like_the_case_reports(as_user):
    data = as_user("district_org").get("/api/v1/governance/coverage/").json()
    assert 0.5 < float(data["committee_party_member_share"]) < 0.8
    assert 0.15 < float(data["candidates_turned_away_share"]) < 0.45
    assert data["compounds_with_party_organization"] <= data["compounds"]
    assert float(data["electronic_ballot_share"]) > 0.4
    assert as_user("department_staff").get("/api/v1/governance/coverage/").json()["compounds"] == 0
    assert as_user("district_org").get("/api/v1/governance/coverage/?street=x").status_code == 400


def test_department_staff_see_the_candidates_sent_to_them(as_user, users):
    ids = {row["id"] for row in as_user("department_staff").get(
        "/api/v1/governance/candidates/?page_size=200").json()["results"]}
    assert ids and ids <= set(Candidate.objects.filter(vettings__department__kind="police").values_list("pk",
                                                                                                      flat=True))


def test_portal_resident_votes_and_reads_the_record(users):
    vote = _resident_open_vote(users)
    client = Client()
    client.force_login(users["resident"])
    page = client.get("/votes/")
    assert page.status_code == 200 and vote.item.title in page.content.decode()
    detail = client.get(f"/votes/{vote.pk}/")
    assert detail.status_code == 200 and 'name="choice"' in detail.content.decode()
    response = client.post(f"/votes/{vote.pk}/ballot/", {"choice": "abstain"})
    assert response.status_code == 302
    assert Ballot.objects.get(vote=vote, voter__person__user=users["resident"]).choice == "abstain"
    assert 'name="choice"' not in client.get(f"/votes/{vote.pk}/").content.decode()
    records = client.get("/records/")
    assert records.status_code == 200


def test_portal_hides_other_compounds_votes(users):
    vote = _resident_open_vote(users)
    client = Client()
    client.force_login(users["resident_2"])
    assert client.get(f"/votes/{vote.pk}/").status_code == 404
    assert client.post(f"/votes/{vote.pk}/ballot/", {"choice": "approve"}).status_code == 404
