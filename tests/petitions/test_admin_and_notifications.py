"""Staff work queue in the admin (bulk accept through the service) and notification delivery."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from petitions.models import Notification, Status
from petitions.notifications import deliver, notify

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
    with caplog.at_level(logging.INFO, logger="petitions.notifications"):
        rows = notify([users["resident"].pk, users["firm_staff"].pk], subject="测试通知", body="正文")
        deliver([n.pk for n in rows])
    assert Notification.objects.filter(pk__in=[n.pk for n in rows]).count() == 2
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]
    assert "测试通知" in caplog.text


def test_a_new_petitions_notice_waits_in_the_outbox_and_goes_out_once(users, submit, caplog,
                                                                      django_capture_on_commit_callbacks):
    from django.utils import timezone

    from petitions.notifications import deliver_pending

    Notification.objects.filter(delivered_at__isnull=True).update(delivered_at=timezone.now())
    users["firm_staff"].email = "firm@example.org"
    users["firm_staff"].save()
    # when a resident submits: the handler's inbox row is written, nothing is queued
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        petition = submit()
    assert callbacks == []
    notice = Notification.objects.get(petition=petition)
    assert (notice.user, notice.delivered_at) == (users["firm_staff"], None)
    assert str(petition.pk) in notice.subject and petition.category.name in notice.subject
    assert mail.outbox == []
    # then the outbox sweep sends it once, however often it runs, and a late task for it sends nothing
    with caplog.at_level(logging.INFO, logger="petitions.notifications"):
        assert deliver_pending() == 1
        assert deliver_pending() == 0
        assert deliver([notice.pk]) == 0
    assert [m.to for m in mail.outbox] == [["firm@example.org"]]
    assert caplog.text.count(f"petition={petition.pk}") == 1
    notice.refresh_from_db()
    assert notice.delivered_at is not None


def test_the_outbox_sweep_takes_batches_and_what_a_task_sent_is_not_sent_again(users):
    from petitions.notifications import deliver_pending

    Notification.objects.filter(delivered_at__isnull=True).delete()
    rows = notify([users["resident"].pk, users["firm_staff"].pk, users["street_office"].pk], subject="批次")
    assert deliver([rows[0].pk]) == 1  # the task queued after commit
    assert deliver_pending(batch_size=1) == 2
    assert not Notification.objects.filter(pk__in=[n.pk for n in rows], delivered_at__isnull=True).exists()


def test_the_outbox_sweep_runs_every_minute():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["petitions-deliver-notifications"]
    assert (entry["task"], entry["schedule"]) == ("petitions.tasks.deliver_pending_notifications", 60.0)
