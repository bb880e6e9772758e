"""The commissioner follows and helps every petition of its compounds (roles.md; docs/adr/0004): urges the
handler with a logged reminder, adds notes, escalates a stuck petition to the community, records a petition on a
resident's behalf, calls the reporter back, merges duplicates — through the API and the admin panel alike."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Role
from communities.selectors import users_with_role
from notifications.models import Notification
from petitions import commissioner, services
from petitions.models import EventKind, Petition, Status

pytestmark = pytest.mark.django_db


def test_urging_logs_an_event_and_tells_every_handler(users, submit):
    petition = submit()
    commissioner.petition_urge(actor=users["commissioner"], petition=petition, note="居民多次来电")
    event = petition.events.get(kind=EventKind.URGED)
    assert (event.actor, event.note) == (users["commissioner"], "居民多次来电")
    handlers = set(users_with_role(Role.FIRM_STAFF, firm_id=petition.handler_firm_id))
    told = set(Notification.objects.filter(target_kind="petition", target_id=petition.pk, body="居民多次来电").values_list("user_id", flat=True))
    assert users["firm_staff"].pk in handlers and told == handlers


def test_urging_twice_within_the_hour_is_refused_with_a_field_message(as_user, users, submit):
    petition = submit()
    client = as_user("commissioner")
    assert client.post(f"/api/v1/petitions/{petition.pk}/urge/", {}, format="json").status_code == 200
    again = client.post(f"/api/v1/petitions/{petition.pk}/urge/", {}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    later = timezone.now() + datetime.timedelta(hours=2)
    commissioner.petition_urge(actor=users["commissioner"], petition=petition, now=later)
    assert petition.events.filter(kind=EventKind.URGED).count() == 2


def test_a_resolved_or_closed_petition_is_not_urged_nor_escalated(as_user, users, submit):
    petition = submit()
    services.petition_accept(actor=users["firm_staff"], petition=petition)
    services.petition_reply(actor=users["firm_staff"], petition=petition, text="已修好")
    services.petition_resolve(actor=users["firm_staff"], petition=petition)
    client = as_user("commissioner")
    assert client.get(f"/api/v1/petitions/{petition.pk}/").json()["actions"] == ["call_back", "note"]
    for action, body in (("urge", {}), ("escalate", {"reason": "拖延"})):
        response = client.post(f"/api/v1/petitions/{petition.pk}/{action}/", body, format="json")
        assert response.status_code == 400 and "status" in response.json()
    assert not petition.events.filter(kind__in=[EventKind.URGED, EventKind.ESCALATED]).exists()


def test_escalating_moves_the_petition_to_the_community_with_the_reason(as_user, users, submit):
    petition = submit()
    response = as_user("commissioner").post(f"/api/v1/petitions/{petition.pk}/escalate/",
                                            {"reason": "物业三天未处理"}, format="json")
    assert response.status_code == 200
    petition.refresh_from_db()
    assert (petition.level, petition.escalations, petition.status) == ("community", 1, Status.SUBMITTED)
    event = petition.events.get(kind=EventKind.ESCALATED)
    assert (event.actor, event.note, event.to_level) == (users["commissioner"], "物业三天未处理", "community")
    assert Notification.objects.filter(target_kind="petition", target_id=petition.pk, user=users["community_office"]).exists()
    # The community office may now act on it; the commissioner may not escalate it further.
    assert "accept" in as_user("community_office").get(f"/api/v1/petitions/{petition.pk}/").json()["actions"]
    again = as_user("commissioner").post(f"/api/v1/petitions/{petition.pk}/escalate/", {"reason": "再次"},
                                         format="json")
    assert again.status_code == 400 and "level" in again.json()


@pytest.mark.parametrize("action,body,field", [
    ("note", {"note": "   "}, "note"), ("note", {}, "note"), ("escalate", {"reason": ""}, "reason"),
    ("urge", {"note": "长" * 2001}, "note"),
])
def test_bad_input_is_a_400_with_the_field_and_writes_nothing(as_user, submit, action, body, field):
    petition = submit()
    before = petition.events.count()
    response = as_user("commissioner").post(f"/api/v1/petitions/{petition.pk}/{action}/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert petition.events.count() == before


def test_a_note_is_added_in_any_state_and_shown_in_the_timeline(as_user, users, submit):
    petition = submit()
    services.petition_reject(actor=users["firm_staff"], petition=petition, reason="不属于物业范围")
    body = as_user("commissioner").post(f"/api/v1/petitions/{petition.pk}/note/", {"note": "已向居民解释"},
                                        format="json").json()
    assert body["timeline"][-1]["kind"] == "note" and body["timeline"][-1]["note"] == "已向居民解释"


def test_the_commissioner_records_a_petition_on_a_residents_behalf(as_user, categories, demo_compound):
    response = as_user("commissioner").post("/api/v1/petitions/", {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "source": "walk_in",
        "description": "独居老人反映楼道灯坏", "reporter_name": "王大爷", "reporter_phone": "13800002222",
    }, format="json")
    assert response.status_code == 201, response.content
    petition = Petition.objects.get(pk=response.json()["id"])
    assert (petition.reporter_name, petition.source, petition.recorded_by.username) == (
        "王大爷", "walk_in", "commissioner")


def test_the_admin_panel_offers_the_commissioner_its_actions_and_they_work(client, users, submit):
    petition = submit()
    client.force_login(users["commissioner"])
    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for name in ("urge", "note", "escalate"):
        assert reverse("admin:petitions_petition_handle", args=[petition.pk, name]) in page
    assert "催办处理人" in page and "上报社区" in page
    client.post(reverse("admin:petitions_petition_handle", args=[petition.pk, "urge"]), {"urge-note": "请今天处理"})
    client.post(reverse("admin:petitions_petition_handle", args=[petition.pk, "note"]), {"note-note": "已到现场"})
    response = client.post(reverse("admin:petitions_petition_handle", args=[petition.pk, "escalate"]),
                           {"escalate-reason": "三天无人处理"}, follow=True)
    petition.refresh_from_db()
    assert petition.level == "community"
    assert list(petition.events.filter(actor=users["commissioner"]).values_list("kind", flat=True).order_by(
        "pk")) == ["urged", "note", "escalated"]
    assert 'id="petition-timeline"' in response.content.decode()


def test_the_firm_is_not_offered_the_commissioners_actions_in_the_panel(client, users, submit):
    petition = submit()
    client.force_login(users["firm_staff"])
    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    for name in ("urge", "note", "escalate"):
        assert reverse("admin:petitions_petition_handle", args=[petition.pk, name]) not in page
    response = client.post(reverse("admin:petitions_petition_handle", args=[petition.pk, "urge"]), {}, follow=True)
    assert not petition.events.filter(kind=EventKind.URGED).exists()
    assert response.status_code == 200


def test_follow_up_text_is_a_json_string(as_user, submit):
    # a number where the note or the reason is asked is refused, as every other text field of the API
    petition = submit()
    client = as_user("commissioner")
    for action, body in (("note", {"note": 5}), ("escalate", {"reason": 5}), ("urge", {"note": 5})):
        response = client.post(f"/api/v1/petitions/{petition.pk}/{action}/", body, format="json")
        assert response.status_code == 400, (action, response.content)
