"""Every admin write goes through its service's rules: a decision typed into an agenda item is recorded by
`item_decide` (the supervisory record), a council that has voted keeps its members, an evaluation's rules answer
as field errors, and a row's district (and compound) follow from what it belongs to. Also: the governance tasks
acknowledge late, and a second ballot is recognised by its constraint."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.models import Building, Community, Person
from core.db import violated_constraint
from governance import services, tasks
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BuildingHead,
    CouncilMember,
    Evaluation,
    Meeting,
    PartyMember,
    Rule,
    SupervisoryRecord,
)
from tests.governance.test_party_members_cross import _change_form_data

pytestmark = pytest.mark.django_db


def _rows(data, prefix) -> dict:
    return {data[k]: k[: -len("-id")] for k in data if k.startswith(f"{prefix}-") and k.endswith("-id")}


def _meeting_form_data(response) -> dict:
    """The change page's data; the admin splits a date-time into a date and a time."""
    data = _change_form_data(response)
    held_at = timezone.localtime(data.pop("held_at"))
    return {**data, "held_at_0": held_at.date().isoformat(), "held_at_1": held_at.time().isoformat()}


def _prefix(response, model) -> str:
    return next(i.formset.prefix for i in response.context["inline_admin_formsets"] if i.formset.model is model)


def test_a_decision_typed_into_an_agenda_item_is_recorded_by_the_service(client, users, make_item):
    item = make_item()
    url = f"/admin/governance/meeting/{item.meeting_id}/change/"
    client.force_login(users["admin"])  # the inline of items is offered to holders of the model permission
    page = client.get(url)
    data, prefix = _meeting_form_data(page), _prefix(page, AgendaItem)
    response = client.post(url, {**data, f"{_rows(data, prefix)[item.pk]}-decision": "同意更换屋顶"})
    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert item.decision == "同意更换屋顶"
    record = SupervisoryRecord.objects.get(item=item)
    assert (record.decision, record.compound_id) == ("同意更换屋顶", item.meeting.compound_id)


def test_a_council_that_has_voted_keeps_its_members_in_the_admin(client, users, demo_compound):
    meeting = Meeting.objects.create(compound=demo_compound, kind=Meeting.Kind.QUARTERLY_COUNCIL,
                                     title="季度议事会", held_at=timezone.now())
    people = list(Person.objects.filter(district_id=demo_compound.district_id).order_by("pk")[:3])
    services.meeting_set_council(actor=users["community_office"], meeting=meeting,
                                 members=[(p, CouncilMember.Capacity.RESIDENT) for p in people])
    item = AgendaItem.objects.create(meeting=meeting, title="停车收费调整")
    url = f"/admin/governance/meeting/{meeting.pk}/change/"
    client.force_login(users["community_office"])
    page = client.get(url)
    data, prefix = _meeting_form_data(page), _prefix(page, CouncilMember)
    first = CouncilMember.objects.filter(meeting=meeting).order_by("pk").first()
    # before a vote the members may change here
    assert client.post(url, {**data, f"{_rows(data, prefix)[first.pk]}-capacity": "party_member"}).status_code == 302
    services.vote_open(actor=users["community_office"], item=item, rule=Rule.RULE_5030,
                       deadline=timezone.now() + datetime.timedelta(hours=2))
    page = client.get(url)
    data = _meeting_form_data(page)
    response = client.post(url, {**data, f"{_rows(data, prefix)[first.pk]}-DELETE": "on"})
    assert response.status_code == 200 and response.context["errors"]
    assert CouncilMember.objects.filter(meeting=meeting).count() == 3


def test_the_admin_offers_members_only_to_a_quarterly_council_and_checks_their_district(client, users,
                                                                                       demo_compound):
    client.force_login(users["community_office"])
    assembly = Meeting.objects.create(compound=demo_compound, kind=Meeting.Kind.OWNERS_ASSEMBLY, title="业主大会",
                                      held_at=timezone.now())
    page = client.get(f"/admin/governance/meeting/{assembly.pk}/change/")
    assert CouncilMember not in {i.formset.model for i in page.context["inline_admin_formsets"]}
    # a council's member from another district is refused as the service refuses it
    council = Meeting.objects.create(compound=demo_compound, kind=Meeting.Kind.QUARTERLY_COUNCIL, title="季度议事会",
                                     held_at=timezone.now())
    stranger = Person.objects.exclude(district_id=demo_compound.district_id).first()
    url = f"/admin/governance/meeting/{council.pk}/change/"
    page = client.get(url)
    data, prefix = _meeting_form_data(page), _prefix(page, CouncilMember)
    response = client.post(url, {**data, f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-person": stranger.pk,
                                 f"{prefix}-0-capacity": CouncilMember.Capacity.RESIDENT})
    assert response.status_code == 200 and response.context["errors"]
    assert not CouncilMember.objects.filter(meeting=council).exists()


def test_the_evaluation_admin_asks_for_reasons_and_derives_the_district(client, users, demo_compound):
    body = Body.objects.filter(compound=demo_compound, kind__in=Body.SELF_GOVERNING_KINDS).first()
    Evaluation.objects.filter(body=body).delete()
    client.force_login(users["street_office"])
    add = "/admin/governance/evaluation/add/"
    form = {"body": body.pk, "year": 2025, "rating": Evaluation.Rating.NOT_TRUSTWORTHY, "evaluators": "街道", "reasons": ""}
    response = client.post(add, form)
    assert response.status_code == 200 and "reasons" in response.context["adminform"].form.errors
    assert not Evaluation.objects.filter(body=body).exists()
    response = client.post(add, {**form, "reasons": "维修资金使用不公开"})
    assert response.status_code == 302
    assert Evaluation.objects.get(body=body, year=2025).district_id == body.district_id


def test_a_party_member_and_a_building_head_take_their_district_from_where_they_belong(client, users,
                                                                                     demo_compound):
    client.force_login(users["community_office"])
    community = Community.objects.get(pk=demo_compound.community_id)
    person = Person.objects.filter(district_id=community.district_id).order_by("pk").first()
    response = client.post("/admin/governance/partymember/add/", {
        "community": community.pk, "person": person.pk, "kind": PartyMember._meta.get_field("kind").choices[0][0]})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PartyMember.objects.filter(person=person, community=community).get().district_id == community.district_id
    building = Building.objects.filter(compound=demo_compound).order_by("pk").first()
    BuildingHead.objects.filter(building=building).delete()  # the demo gave every building its head
    response = client.post("/admin/governance/buildinghead/add/", {"building": building.pk, "person": person.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    head = BuildingHead.objects.get(building=building)
    assert (head.compound_id, head.district_id) == (demo_compound.pk, demo_compound.district_id)


def test_the_governance_tasks_acknowledge_late():
    assert tasks.close_due_votes.acks_late and tasks.remind_terms.acks_late


def test_a_second_ballot_is_recognised_by_its_constraint(users, open_vote):
    vote = open_vote()
    services.ballot_cast(actor=users["resident"], vote=vote, choice="approve")
    ballot = Ballot.objects.get(vote=vote)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Ballot.objects.create(vote=vote, voter=ballot.voter, choice="oppose", channel=ballot.channel,
                              cast_at=timezone.now())
    assert violated_constraint(caught.value, Ballot) == "ballot_one_per_voter"
