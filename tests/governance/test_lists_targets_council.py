"""The district catalogues and department work requests, campaign targets with live progress, council votes
(5030 rule over the council's members), term-reminder notifications, and the write routes of meetings, items
and candidates."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from communities.models import Community, Compound, Department, District, Person, RoleAssignment
from communities.policies import community_policy, compound_policy
from core.errors import DomainError
from governance import selectors, services
from governance.models import (
    AgendaItem,
    Body,
    CampaignTarget,
    Candidate,
    CouncilMember,
    ListItem,
    Meeting,
    Rule,
    SupervisoryRecord,
    Vetting,
    Vote,
    WorkRequest,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _district():
    return District.objects.order_by("pk").first()


def _department(users):
    return Department.objects.get(pk=RoleAssignment.objects.get(user=users["department_staff"]).department_id)


def _street_community(users, login):
    street_id = RoleAssignment.objects.get(user=users[login]).street_id
    return Community.objects.filter(street_id=street_id).order_by("pk").first()


# --- lists and work requests ---------------------------------------------------------------------------------

def test_the_catalogues_hold_11_17_and_25_items_and_a_whistle_list():
    counts = {k: ListItem.objects.filter(district=_district(), kind=k).count() for k in ListItem.Kind.values}
    assert counts["party_building"] == 11 and counts["responsibility"] == 17 and counts["access"] == 25
    assert counts["whistle"] > 0


def test_work_on_the_access_list_is_allowed_at_once(as_user, users):
    department = _department(users)
    item = ListItem.objects.filter(district_id=department.district_id, kind=ListItem.Kind.ACCESS).first()
    community = _street_community(users, "street_office")
    response = as_user("department_staff").post("/api/v1/governance/work-requests/", {
        "department": department.pk, "community": community.pk, "title": item.title, "list_item": item.pk,
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "allowed"
    assert WorkRequest.objects.get(pk=response.json()["id"]).may_proceed


def test_work_off_the_list_waits_for_the_street_office(as_user, users):
    department = _department(users)
    community = _street_community(users, "street_office")
    before = Notification.objects.filter(user=users["street_office"]).count()
    response = as_user("department_staff").post("/api/v1/governance/work-requests/", {
        "department": department.pk, "community": community.pk, "title": "入户开展问卷调查",
    }, format="json")
    assert response.status_code == 201, response.content
    work = WorkRequest.objects.get(pk=response.json()["id"])
    assert work.status == WorkRequest.Status.PENDING and not work.may_proceed
    assert Notification.objects.filter(user=users["street_office"]).count() == before + 1
    url = f"/api/v1/governance/work-requests/{work.pk}/decide/"
    # The other street does not see it; the community office sees it but does not decide; the department neither.
    assert as_user("street_office_2").post(url, {"approve": True}, format="json").status_code == 404
    if community.pk == RoleAssignment.objects.get(user=users["community_office"]).community_id:
        assert as_user("community_office").post(url, {"approve": True}, format="json").status_code == 403
    assert as_user("department_staff").post(url, {"approve": True}, format="json").status_code == 403
    refused = as_user("street_office").post(url, {"approve": False}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    approved = as_user("street_office").post(url, {"approve": True}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert as_user("street_office").post(url, {"approve": True}, format="json").status_code == 400
    assert Notification.objects.filter(user=users["department_staff"]).exists()


def test_only_an_access_list_item_in_force_of_the_district_lets_work_in(users):
    department = _department(users)
    community = _street_community(users, "street_office")
    other_kind = ListItem.objects.filter(district_id=department.district_id, kind=ListItem.Kind.PARTY_BUILDING).first()
    other_district = ListItem.objects.exclude(district_id=department.district_id).filter(
        kind=ListItem.Kind.ACCESS).first()
    retired = ListItem.objects.filter(district_id=department.district_id, kind=ListItem.Kind.ACCESS).last()
    ListItem.objects.filter(pk=retired.pk).update(is_active=False)
    retired.refresh_from_db()
    for item in (other_kind, other_district, retired):
        with pytest.raises(DomainError):
            services.work_request_submit(actor=users["department_staff"], department=department, community=community,
                                         title="x", list_item=item)
    with pytest.raises(DomainError):  # only the department's own staff ask
        services.work_request_submit(actor=users["street_office"], department=department, community=community,
                                     title="x")


# --- campaign targets ----------------------------------------------------------------------------------------

def test_the_campaign_table_follows_gongshu():
    targets = CampaignTarget.objects.filter(district=_district())
    assert targets.filter(number__lte=22).count() == 22
    assert targets.get(number=5).measure == CampaignTarget.Measure.PARTY_ORGANIZATION_COVERAGE
    assert targets.get(number=7).target_value == Decimal("0.95")


# The measures that selectors.coverage computes too, by its own queries: an independent check of the grouping.
MEASURED = ["party_organization_coverage", "commissioner_coverage", "owners_committee_coverage",
            "committee_party_coverage", "member_reporting_rate", "building_head_coverage", "electronic_ballot_share"]


@pytest.mark.parametrize("measure", MEASURED)
def test_progress_overall_equals_the_coverage_figures(users, measure):
    """Per-community grouping adds up to the district's figure computed by selectors.coverage."""
    user = users["district_org"]
    target = CampaignTarget(district=_district(), number=99, task="t", measure=measure, target_value=Decimal("0.5"),
                            lead_units="a", responsible_units="b", deadline=datetime.date(2030, 12, 31))
    row = selectors.targets_progress([target], community_policy.visible(user))[0]
    figures = selectors.coverage(compound_policy.visible(user))
    assert row["overall"]["value"] == figures[measure]
    assert sum(s["total"] for s in row["streets"]) == row["overall"]["total"]
    for street in row["streets"]:
        assert sum(c["hit"] for c in street["communities"]) == street["hit"]


def test_new_committees_count_from_the_campaign_start(users):
    target = CampaignTarget.objects.get(district=_district(), measure=CampaignTarget.Measure.COMMITTEE_PARTY_MEMBER_SHARE)
    row = selectors.targets_progress([target], community_policy.visible(users["district_org"]))[0]
    later = CampaignTarget(**{**{f.attname: getattr(target, f.attname) for f in target._meta.concrete_fields},
                              "id": None, "starts_on": datetime.date(2100, 1, 1)})
    assert selectors.targets_progress([later], community_policy.visible(users["district_org"]))[0][
        "overall"]["total"] == 0
    assert row["overall"]["total"] > 0


def test_progress_per_street_and_community_of_the_scope(as_user, users):
    rows = as_user("street_office").get("/api/v1/governance/targets/progress/").json()
    street_id = RoleAssignment.objects.get(user=users["street_office"]).street_id
    measured = [r for r in rows if r["measure"]]
    assert len(rows) == CampaignTarget.objects.filter(district=_district()).count() and measured
    for row in measured:
        assert [s["id"] for s in row["streets"]] == [street_id]
    community_id = RoleAssignment.objects.get(user=users["community_office"]).community_id
    one = CampaignTarget.objects.get(district=_district(), number=5)
    row = as_user("community_office").get(f"/api/v1/governance/targets/{one.pk}/progress/").json()
    assert [c["id"] for s in row["streets"] for c in s["communities"]] == [community_id]
    assert as_user("resident").get(f"/api/v1/governance/targets/{one.pk}/progress/").status_code == 404


def test_progress_queries_do_not_grow_with_the_nodes(as_user, users):
    """One query for the communities and one grouped query per measure, whether one community or the district."""
    counts = {}
    for login in ("community_office", "street_office", "district_org"):
        client = as_user(login)
        client.get("/api/v1/governance/targets/progress/")  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/governance/targets/progress/").status_code == 200
        counts[login] = len(ctx.captured_queries)
    assert counts["community_office"] == counts["street_office"] == counts["district_org"]
    measures = CampaignTarget.objects.filter(district=_district()).exclude(measure="").values("measure").distinct()
    assert counts["district_org"] <= measures.count() + 6


def test_the_admin_shows_progress(client, users):
    client.force_login(users["district_org"])
    response = client.get("/admin/governance/campaigntarget/progress/")
    assert response.status_code == 200
    assert CampaignTarget.objects.filter(district=_district(), number=5).first().lead_units in response.text
    client.force_login(users["resident"])
    assert client.get("/admin/governance/campaigntarget/progress/").status_code in (302, 403)


# --- council votes -------------------------------------------------------------------------------------------

@pytest.fixture
def council(users, demo_compound):
    meeting = Meeting.objects.create(compound=demo_compound, kind=Meeting.Kind.QUARTERLY_COUNCIL,
                                     title="季度议事会", held_at=timezone.now())
    people = list(Person.objects.filter(district_id=demo_compound.district_id).order_by("pk")[:10])
    resident = users["resident"].person
    members = [(p, CouncilMember.Capacity.RESIDENT) for p in people if p.pk != resident.pk][:9]
    members.append((resident, CouncilMember.Capacity.OWNERS_COMMITTEE))
    services.meeting_set_council(actor=users["community_office"], meeting=meeting, members=members)
    item = AgendaItem.objects.create(meeting=meeting, title="停车收费调整")
    return meeting, item


def test_a_council_vote_counts_the_council_members(users, council):
    meeting, item = council
    with pytest.raises(DomainError):
        services.vote_open(actor=users["community_office"], item=item, rule=Rule.CIVIL_CODE_ORDINARY,
                           deadline=timezone.now() + datetime.timedelta(hours=2))
    vote = services.vote_open(actor=users["community_office"], item=item, rule=Rule.RULE_5030,
                              deadline=timezone.now() + datetime.timedelta(hours=2))
    assert vote.is_council and vote.voters.count() == 10
    voters = list(vote.voters.select_related("person").order_by("pk"))
    # 6 of 10 approve (above 50%), 3 oppose (exactly 30%: not below it) -> fails; one more abstains instead.
    services.ballot_cast(actor=users["resident"], vote=vote, choice="approve")
    others = [v for v in voters if v.person.user_id != users["resident"].pk]
    for voter, choice in zip(others, ["approve"] * 5 + ["oppose"] * 3, strict=False):
        services.ballot_cast(actor=users["community_office"], vote=vote, choice=choice, voter=voter,
                             channel="paper")
    with translation.override("en"):
        assert services.vote_close(actor=users["community_office"], vote=vote).result == "failed"
    assert "of 10 council members" in SupervisoryRecord.objects.get(item=item).decision
    with pytest.raises(DomainError):  # its members were the electorate: they no longer change
        services.meeting_set_council(actor=users["community_office"], meeting=meeting, members=[])


def test_owners_outside_the_council_do_not_vote_on_it(users, council):
    meeting, item = council
    CouncilMember.objects.filter(meeting=meeting, person=users["resident"].person).delete()
    vote = services.vote_open(actor=users["community_office"], item=item, rule=Rule.RULE_5030,
                              deadline=timezone.now() + datetime.timedelta(hours=2))
    with pytest.raises(DomainError):
        services.ballot_cast(actor=users["resident"], vote=vote, choice="approve")


def test_council_members_through_the_api(as_user, users, demo_compound):
    meeting = Meeting.objects.create(compound=demo_compound, kind=Meeting.Kind.QUARTERLY_COUNCIL,
                                     title="季度议事会", held_at=timezone.now())
    from communities.policies import person_policy

    seen = person_policy.visible(users["commissioner"])
    person = seen.filter(district_id=demo_compound.district_id).order_by("pk").first()
    url = f"/api/v1/governance/meetings/{meeting.pk}/council/"
    body = {"members": [{"person": person.pk, "capacity": "resident"}]}
    assert as_user("resident").post(url, body, format="json").status_code == 403
    assert as_user("street_office_2").post(url, body, format="json").status_code == 404
    # A person of the district the commissioner does not see is refused like an unknown id: naming them on
    # the council would show their name back (the admin's autocomplete offers only people one sees, too).
    unseen = Person.objects.filter(district_id=demo_compound.district_id).exclude(pk__in=seen.values("pk")).first()
    for other in (unseen.pk, 10**12):
        refused = as_user("commissioner").post(url, {"members": [{"person": other, "capacity": "resident"}]},
                                               format="json")
        assert refused.status_code == 400 and "members" in refused.json()
    response = as_user("commissioner").post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert [m["person"] for m in as_user("resident").get(url).json()] == [person.pk]


# --- term reminders reach the community office ---------------------------------------------------------------

def test_term_reminders_notify_the_community_office(users, demo_compound):
    today = datetime.date(2031, 6, 1)
    body = Body.objects.filter(compound=demo_compound).first()
    Body.objects.filter(pk=body.pk).update(formed_on=datetime.date(2027, 1, 1),
                                           term_ends_on=today + datetime.timedelta(days=20))
    office = users["community_office"]
    before = Notification.objects.filter(user=office).count()
    assert services.bodies_remind_terms(today=today) >= 1
    notes = Notification.objects.filter(user=office).order_by("-pk")
    assert notes.count() == before + 1 and demo_compound.name in notes.first().body
    services.bodies_remind_terms(today=today)  # nothing new: no second notification
    assert Notification.objects.filter(user=office).count() == before + 1


# --- write routes ----------------------------------------------------------------------------------------------

def test_meeting_item_and_decision_through_the_api(as_user, demo_compound):
    client = as_user("commissioner")
    response = client.post("/api/v1/governance/meetings/", {
        "compound": demo_compound.pk, "kind": "monthly_consultation", "title": "五月协商会",
        "held_at": timezone.now().isoformat(),
    }, format="json")
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    response = as_user("committee_member").post("/api/v1/governance/items/", {
        "meeting": meeting_id, "title": "增设快递柜", "is_major": False}, format="json")
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    response = client.post(f"/api/v1/governance/items/{item_id}/decide/", {"decision": "同意增设"}, format="json")
    assert response.status_code == 201 and SupervisoryRecord.objects.filter(item_id=item_id).exists()
    # Out of scope: 404 for the compound; a resident may not convene.
    other = Compound.objects.exclude(district_id=demo_compound.district_id).first()
    assert client.post("/api/v1/governance/meetings/", {
        "compound": other.pk, "kind": "coordination", "title": "x", "held_at": timezone.now().isoformat(),
    }, format="json").status_code == 404
    assert as_user("resident").post("/api/v1/governance/meetings/", {
        "compound": demo_compound.pk, "kind": "coordination", "title": "x", "held_at": timezone.now().isoformat(),
    }, format="json").status_code == 403


def test_send_a_candidate_to_vetting_through_the_api(as_user, users, demo_compound):
    person = Person.objects.create(district_id=demo_compound.district_id, name="候选人甲", phone="13900000000")
    candidate = Candidate.objects.create(compound=demo_compound, person=person)
    url = f"/api/v1/governance/candidates/{candidate.pk}/send-for-vetting/"
    assert as_user("street_office_2").post(url, {}, format="json").status_code == 404
    assert as_user("commissioner").post(url, {}, format="json").status_code == 403
    response = as_user("community_office").post(url, {}, format="json")
    assert response.status_code == 201, response.content
    assert Vetting.objects.filter(candidate=candidate).count() == 3 == len(response.json())
    assert Vote.objects.exists()
