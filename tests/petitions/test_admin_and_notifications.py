"""Staff work queue in the admin (bulk accept through the service) and notification delivery."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import deliver, notify
from petitions.models import Petition, Status

pytestmark = pytest.mark.django_db


def test_bulk_accept_in_the_admin_goes_through_the_service(client, users, submit):
    petitions = [submit(), submit()]
    client.force_login(users["firm_staff"])
    changelist = reverse("admin:petitions_petition_changelist")
    assert client.get(changelist).status_code == 200
    response = client.post(changelist, {"action": "accept_selected", "_selected_action": [p.pk for p in petitions]})
    assert response.status_code == 302
    for p in petitions:
        p.refresh_from_db()
        assert p.status == Status.ACCEPTED
        assert p.events.filter(kind="transition", actor=users["firm_staff"]).exists()


def test_bulk_accept_skips_what_the_actor_may_not_accept(client, users, submit):
    petition = submit()
    client.force_login(users["street_office"])
    client.post(reverse("admin:petitions_petition_changelist"),
                {"action": "accept_selected", "_selected_action": [petition.pk]})
    petition.refresh_from_db()
    assert petition.status == Status.SUBMITTED


@pytest.fixture
def hotline_petition(users, categories, demo_compound):
    from petitions import services

    return services.petition_record(
        actor=users["street_office"], compound=demo_compound, category=categories["repair"], source="hotline_12345",
        description="来电：电梯异响", reporter_name="李女士", reporter_phone="13700001111")


def test_the_handler_calls_a_hotline_caller_back_from_the_admin_and_the_reveal_is_logged(
        client, users, hotline_petition):
    from communities.models import PersonalDataAccess

    page_url = reverse("admin:petitions_petition_change", args=[hotline_petition.pk])
    call_back = reverse("admin:petitions_petition_call_back", args=[hotline_petition.pk])
    client.force_login(users["firm_staff"])  # the firm handles the repair
    page = client.get(page_url).content.decode()
    assert "137****1111" in page and call_back in page and "13700001111" not in page
    assert client.get(call_back).status_code == 405  # a reveal is never a link to follow
    assert not PersonalDataAccess.objects.filter(actor=users["firm_staff"]).exists()

    response = client.post(call_back, follow=True)
    assert "13700001111" in response.content.decode()
    log = PersonalDataAccess.objects.get(actor=users["firm_staff"])
    assert (log.person, log.district_id) == (None, hotline_petition.district_id)
    assert str(hotline_petition.pk) in log.record
    # The log's own admin page lists it, for the district organization department, without the number.
    client.force_login(users["district_org"])
    listing = client.get(reverse("admin:communities_personaldataaccess_changelist")).content.decode()
    assert log.record in listing and "13700001111" not in listing


def test_staff_who_see_the_petition_but_do_not_handle_it_get_the_masked_number_only(
        client, users, hotline_petition):
    from communities.models import PersonalDataAccess

    call_back = reverse("admin:petitions_petition_call_back", args=[hotline_petition.pk])
    client.force_login(users["district_org"])  # reads petitions, never handles them
    page = client.get(reverse("admin:petitions_petition_change", args=[hotline_petition.pk])).content.decode()
    assert "137****1111" in page and call_back not in page
    response = client.post(call_back, follow=True)
    assert "13700001111" not in response.content.decode()
    client.force_login(users["street_office_2"])  # does not see the petition at all
    assert client.post(call_back).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def _handle(client, petition, action, **data):
    url = reverse("admin:petitions_petition_handle", args=[petition.pk, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()}, follow=True)


def _panel(client, petition):
    """The actions offered on the petition's admin page, by their handle URLs."""
    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    prefix = f"/admin/petitions/petition/{petition.pk}/handle/"
    return {chunk.split("/")[0] for chunk in page.split(prefix)[1:]}


def test_the_handler_takes_a_petition_from_accept_to_resolved_in_the_admin(client, users, submit):
    petition = submit()
    client.force_login(users["firm_staff"])
    assert _panel(client, petition) == {"accept", "reject", "transfer"}
    _handle(client, petition, "accept", note="收到")
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    assert petition.events.filter(kind="transition", actor=users["firm_staff"], to_status="accepted").exists()

    # Resolving before replying is refused by the service; the page says why and nothing changes.
    page = _handle(client, petition, "resolve").content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and "error" in page
    # An empty reply is a form error, not a 500, and writes nothing.
    _handle(client, petition, "reply", text="")
    petition.refresh_from_db()
    assert petition.reply == ""

    _handle(client, petition, "reply", text="已更换灯泡")
    _handle(client, petition, "resolve", note="完成")
    petition.refresh_from_db()
    assert (petition.status, petition.reply) == (Status.RESOLVED, "已更换灯泡")


def test_the_street_whistles_and_the_department_answers_in_the_admin(client, users, submit, main_district):
    from communities.models import Department

    petition = submit()
    Petition.objects.filter(pk=petition.pk).update(level="street")
    police = Department.objects.get(district=main_district, kind="police")
    client.force_login(users["street_office"])
    assert "whistle" in _panel(client, petition)
    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    other_district = Department.objects.exclude(district=main_district).first()
    assert police.name in page and (other_district is None or f'value="{other_district.pk}"' not in page)
    _handle(client, petition, "whistle", departments=[police.pk], note="请派出所协助")
    assert petition.whistles.filter(department=police, answered_at__isnull=True).exists()

    client.force_login(users["department_staff"])
    assert _panel(client, petition) == {"answer"}
    _handle(client, petition, "answer", answer="已出警")
    assert petition.whistles.get(department=police).answer == "已出警"


@pytest.mark.parametrize("login,status", [("district_org", 200), ("street_office_2", 404), ("resident", 302)])
def test_who_may_not_handle_gets_no_panel_and_changes_nothing(client, users, submit, login, status):
    petition = submit()
    client.force_login(users[login])
    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk]))
    assert page.status_code == status
    if status == 200:
        assert _panel(client, petition) == set()
    response = client.post(reverse("admin:petitions_petition_handle", args=[petition.pk, "accept"]))
    assert response.status_code == (404 if status == 404 else 302)
    petition.refresh_from_db()
    assert petition.status == Status.SUBMITTED and not petition.events.filter(kind="transition").exists()


def _record_form(demo_compound, categories, **extra):
    return {"compound": demo_compound.pk, "category": categories["repair"].pk, "source": "walk_in",
            "reporter_name": "赵大爷", "reporter_phone": "13600002222", "description": "楼顶漏水", **extra}


def test_a_walk_in_is_recorded_in_the_admin_and_sent_to_its_handler(client, users, categories, demo_compound):
    client.force_login(users["community_office"])
    add = reverse("admin:petitions_petition_add")
    page = client.get(add)
    assert page.status_code == 200
    offered = {c.pk for c in page.context["form"].fields["compound"].queryset}
    from communities.policies import compound_policy

    assert offered == set(compound_policy.visible(users["community_office"]).values_list("pk", flat=True))
    # A category with no open petition of this compound in the last 7 days: no duplicates to check first.
    from petitions import selectors, services

    fresh = next(c for c in categories.values() if c.is_active and not selectors.possible_duplicates(
        users["admin"], compound_id=demo_compound.pk, category_id=c.pk))
    response = client.post(add, _record_form(demo_compound, categories, category=fresh.pk))
    petition = Petition.objects.get(description="楼顶漏水")
    assert response.status_code == 302 and response.url.endswith(f"/{petition.pk}/change/")
    assert (petition.source, petition.recorded_by, petition.reporter_phone, petition.category) == (
        "walk_in", users["community_office"], "13600002222", fresh)
    handlers = services.handler_user_ids(petition)
    assert handlers and set(Notification.objects.for_target(petition).values_list("user_id", flat=True)) == set(
        handlers)


def test_recording_offers_the_open_petitions_of_the_same_compound_and_category_first(
        client, users, categories, demo_compound, submit):
    original = submit(description="楼顶漏水，已经三天")
    client.force_login(users["community_office"])
    add = reverse("admin:petitions_petition_add")
    page = client.post(add, _record_form(demo_compound, categories))
    assert page.status_code == 200 and original in page.context["duplicates"]
    assert not Petition.objects.filter(description="楼顶漏水").exists()
    response = client.post(add, _record_form(demo_compound, categories, not_a_duplicate="on"))
    assert response.status_code == 302 and Petition.objects.filter(description="楼顶漏水").count() == 1


def test_a_record_outside_the_scope_or_without_a_description_writes_nothing(client, users, categories,
                                                                          demo_compound):
    from communities.models import Compound

    client.force_login(users["street_office_2"])  # the demo compound is in the other street
    add = reverse("admin:petitions_petition_add")
    page = client.post(add, _record_form(demo_compound, categories))
    assert page.status_code == 200 and "compound" in page.context["form"].errors
    mine = Compound.objects.filter(street_id=users["street_office_2"].role_assignments.get().street_id).first()
    page = client.post(add, _record_form(mine, categories, description=""))
    assert page.status_code == 200 and "description" in page.context["form"].errors
    assert not Petition.objects.filter(reporter_phone="13600002222").exists()


def test_a_recorded_duplicate_is_merged_into_its_original_from_the_admin(client, users, categories, demo_compound,
                                                                         submit):
    from petitions import services

    original = submit(description="楼顶漏水，已经三天")
    duplicate = services.petition_record(
        actor=users["community_office"], compound=demo_compound, category=categories["repair"], source="phone",
        description="来电：楼顶漏水", reporter_phone="13600002222")
    client.force_login(users["commissioner"])  # follows every petition of its compound, merges duplicates
    assert _panel(client, duplicate) == {"merge", "urge", "note", "escalate"}
    page = _handle(client, duplicate, "merge", original=999999).content.decode()  # not one offered: refused
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of is None and 'class="error"' in page
    _handle(client, duplicate, "merge", original=original.pk)
    duplicate.refresh_from_db()
    assert (duplicate.duplicate_of, duplicate.status, duplicate.close_reason) == (original, "closed", "merged")
    assert "merge" not in _panel(client, duplicate)
    assert Notification.objects.for_target(original).filter(user=users["resident"]).exists()


def test_staff_see_their_unread_notices_in_the_admin_header_and_open_the_petition_in_the_admin(
        client, users, submit):
    from notifications.selectors import unread_count

    petition = submit()  # the firm is told of the new petition
    client.force_login(users["firm_staff"])
    unread = unread_count(users["firm_staff"])
    assert unread >= 1
    header = client.get(reverse("admin:index")).content.decode()
    assert reverse("portal:inbox") in header and f"({unread})" in header
    inbox = client.get(reverse("portal:inbox")).content.decode()
    assert reverse("admin:petitions_petition_change", args=[petition.pk]) in inbox
    # in the admin's look, with its header, not the residents' portal and its tab bar of a resident's pages
    assert 'id="site-name"' in inbox and "/static/css/staff.css" in inbox and "通知" in inbox
    assert "/static/css/portal.css" not in inbox and reverse("portal:votes") not in inbox
    assert unread_count(users["firm_staff"]) == 0  # opening the inbox marks them read
    assert f"({unread})" not in client.get(reverse("admin:index")).content.decode()


def test_the_first_report_stays_on_offer_as_the_original_however_many_callers_follow(
        client, users, categories, demo_compound, submit):
    """Review finding: the choices came from the 10 newest open petitions, so the first report dropped out."""
    from petitions import services

    original = submit(description="电梯停运")
    callers = [services.petition_record(
        actor=users["community_office"], compound=demo_compound, category=categories["repair"], source="hotline_12345",
        description=f"来电：电梯停运（{n}）", external_ref=f"12345-LIFT-{n}") for n in range(11)]
    client.force_login(users["commissioner"])
    _handle(client, callers[-1], "merge", original=original.pk)
    callers[-1].refresh_from_db()
    assert callers[-1].duplicate_of == original


def test_a_recorder_who_does_not_follow_the_new_petition_goes_back_to_the_form(client, users, categories,
                                                                                demo_compound):
    """Review finding: a firm recording a matter routed elsewhere was sent to a page it may not see (404)."""
    from petitions.policies import petition_policy

    client.force_login(users["firm_staff"])
    routed_elsewhere = categories["neighbours"]
    response = client.post(reverse("admin:petitions_petition_add"), _record_form(
        demo_compound, categories, category=routed_elsewhere.pk, not_a_duplicate="on"), follow=True)
    petition = Petition.objects.get(description="楼顶漏水")
    assert not petition_policy.can(users["firm_staff"], "view", petition)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("admin:petitions_petition_add")
    assert any(str(petition.pk) in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("value", [2**70, 2**63, -1, "abc"])
def test_a_whistle_with_an_id_beyond_any_department_is_refused_not_a_500(client, users, submit, value):
    petition = submit()
    Petition.objects.filter(pk=petition.pk).update(level="street")
    client.force_login(users["street_office"])
    response = _handle(client, petition, "whistle", departments=[value])
    assert response.status_code == 200 and not petition.whistles.exists()


def test_the_superuser_is_not_offered_a_departments_answer_it_does_not_have(client, users, submit):
    petition = submit()
    client.force_login(users["admin"])
    assert "answer" not in _panel(client, petition)


def test_a_recorded_reporters_phone_must_look_like_one(client, users, categories, demo_compound):
    client.force_login(users["community_office"])
    page = client.post(reverse("admin:petitions_petition_add"), _record_form(
        demo_compound, categories, reporter_phone="abc;<>", not_a_duplicate="on"))
    assert page.status_code == 200 and "reporter_phone" in page.context["form"].errors


def test_the_category_catalogue_is_kept_by_the_district_centre(client, users, categories):
    url = reverse("admin:petitions_category_change", args=[categories["repair"].pk])
    client.force_login(users["district_center"])
    assert client.get(url).status_code == 200
    client.force_login(users["street_office"])
    page = client.get(url)
    assert page.status_code in (200, 403)
    if page.status_code == 200:
        assert not page.context["has_change_permission"]


def test_notifications_land_in_the_inbox_then_go_by_mail_and_log(users, caplog):
    users["resident"].email = "resident@example.org"
    users["resident"].save()
    with caplog.at_level(logging.INFO, logger="notifications"):
        rows = notify([users["resident"].pk, users["firm_staff"].pk], subject="测试通知", body="正文")
        deliver([n.pk for n in rows])
    assert Notification.objects.filter(pk__in=[n.pk for n in rows]).count() == 2
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]
    assert "测试通知" in caplog.text


def test_a_new_petitions_notice_waits_in_the_outbox_and_goes_out_once(users, submit, caplog,
                                                                      django_capture_on_commit_callbacks):
    from django.utils import timezone

    from notifications.services import deliver_pending

    Notification.objects.filter(delivered_at__isnull=True).update(delivered_at=timezone.now())
    users["firm_staff"].email = "firm@example.org"
    users["firm_staff"].save()
    # when a resident submits: the handler's inbox row is written, nothing is queued
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        petition = submit()
    assert callbacks == []
    notice = Notification.objects.for_target(petition).get()
    assert (notice.user, notice.delivered_at) == (users["firm_staff"], None)
    assert str(petition.pk) in notice.subject and petition.category.name in notice.subject
    assert mail.outbox == []
    # then the outbox sweep sends it once, however often it runs, and a late task for it sends nothing
    with caplog.at_level(logging.INFO, logger="notifications"):
        assert deliver_pending() == 1
        assert deliver_pending() == 0
        assert deliver([notice.pk]) == 0
    assert [m.to for m in mail.outbox] == [["firm@example.org"]]
    assert caplog.text.count(f"petition={petition.pk}") == 1
    notice.refresh_from_db()
    assert notice.delivered_at is not None


def test_the_outbox_sweep_takes_batches_and_what_a_task_sent_is_not_sent_again(users):
    from notifications.services import deliver_pending

    Notification.objects.filter(delivered_at__isnull=True).delete()
    rows = notify([users["resident"].pk, users["firm_staff"].pk, users["street_office"].pk], subject="批次")
    assert deliver([rows[0].pk]) == 1  # the task queued after commit
    assert deliver_pending(batch_size=1) == 2
    assert not Notification.objects.filter(pk__in=[n.pk for n in rows], delivered_at__isnull=True).exists()


def test_the_outbox_sweep_runs_every_minute():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-deliver-pending"]
    assert (entry["task"], entry["schedule"]) == ("notifications.tasks.deliver_pending", 60.0)


def test_the_record_form_offers_the_compounds_the_service_accepts_for_a_user_of_two_roles(client, users,
                                                                                        demo_compound):
    # given the organisation department (sees the whole district, records nothing) that is also the commissioner
    # of one compound
    from communities.models import Role
    from communities.services import role_grant

    user = users["district_org"]
    role_grant(actor=users["admin"], user=user, role=Role.COMMISSIONER, node=demo_compound)
    client.force_login(user)
    page = client.get(reverse("admin:petitions_petition_add"))
    # then the form offers that compound only, not every compound it sees
    assert [c.pk for c in page.context["form"].fields["compound"].queryset] == [demo_compound.pk]
