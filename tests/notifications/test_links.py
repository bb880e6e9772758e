"""A notice opens what it is about: each app registers its kinds in AppConfig.ready(), with the page for staff
(the admin) and the page for residents (the portal)."""

import pytest
from django.urls import reverse

from communities.models import Community, Department, RoleAssignment
from governance import services as governance_services
from governance.models import Vote, WorkRequest
from notifications import links
from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def _inbox(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("portal:inbox"))
    assert page.status_code == 200
    return page.content.decode()


def test_a_work_request_notice_opens_the_request_in_the_admin(client, users):
    department = Department.objects.get(pk=RoleAssignment.objects.get(user=users["department_staff"]).department_id)
    street_id = RoleAssignment.objects.get(user=users["street_office"]).street_id
    community = Community.objects.filter(street_id=street_id).order_by("pk").first()
    request = governance_services.work_request_submit(
        actor=users["department_staff"], department=department, community=community, title="入户开展问卷调查")
    assert request.status == WorkRequest.Status.PENDING
    notice = Notification.objects.for_target(request).get(user=users["street_office"])
    assert notice.target_kind == "governance.work_request"
    assert reverse("admin:governance_workrequest_change", args=[request.pk]) in _inbox(client, users["street_office"])


def test_a_vote_notice_opens_the_vote_for_staff_in_the_admin_and_for_a_resident_in_the_portal(client, users):
    vote = Vote.objects.filter(status="open", voters__person__user=users["resident"]).first()
    assert vote is not None
    notify([users["resident"].pk, users["community_office"].pk], target=vote, subject="表决进行中")
    resident_page = _inbox(client, users["resident"])
    assert reverse("portal:vote", args=[vote.pk]) in resident_page
    assert reverse("admin:governance_vote_change", args=[vote.pk]) not in resident_page
    staff_page = _inbox(client, users["community_office"])
    assert reverse("admin:governance_vote_change", args=[vote.pk]) in staff_page


def test_a_notice_about_nothing_or_about_a_kind_with_no_page_for_the_user_has_no_link(users):
    [plain] = notify([users["resident"].pk], subject="通知")
    assert (plain.target_kind, plain.target_id, links.url_for(plain, users["resident"])) == ("", None, None)
    request = WorkRequest.objects.order_by("pk").first()
    [about] = notify([users["resident"].pk], target=request, subject="通知")
    assert links.url_for(about, users["resident"]) is None  # residents have no page of work requests


def test_an_unregistered_model_is_refused_as_a_target(users):
    with pytest.raises(LookupError):
        notify([users["resident"].pk], target=users["resident"], subject="通知")


def test_a_deleted_object_takes_its_notices_with_it(users):
    from petitions.models import Petition

    petition = Petition.objects.order_by("pk").first()
    notify([users["resident"].pk], target=petition, subject="通知")
    pk = petition.pk
    petition.events.all()._raw_delete(petition.events.db)  # the timeline refuses deletes (it is immutable)
    petition.delete()
    assert not Notification.objects.filter(target_kind="petition", target_id=pk).exists()


def test_opening_the_inbox_marks_only_ones_own_notices_read(client, users):
    from notifications.services import mark_read

    mine, theirs = notify([users["resident"].pk, users["resident_2"].pk], subject="停水通知")
    assert mark_read(users["resident"], [mine.pk, theirs.pk]) == 1
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    # the page does the same for what it shows
    client.force_login(users["resident_2"])
    assert client.get(reverse("portal:inbox")).status_code == 200
    theirs.refresh_from_db()
    assert theirs.read_at is not None
