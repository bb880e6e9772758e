"""The resident's pages: my petitions, submit (with similar reports offered), the timeline, rating."""

import pytest
from django.urls import reverse

from petitions import services
from petitions.models import Petition, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(client, users):
    client.force_login(users["resident"])
    return client


def test_my_petitions_lists_only_mine(resident, submit, users):
    mine = submit()
    page = resident.get(reverse("portal:petitions"))
    assert page.status_code == 200
    listed = {p.pk for p in page.context["page"]}
    assert mine.pk in listed
    assert listed <= set(Petition.objects.filter(reporter=users["resident"]).values_list("pk", flat=True))


def test_submit_from_the_portal(resident, categories):
    response = resident.post(reverse("portal:petition_new"), {
        "category": categories["sanitation"].pk, "description": "垃圾桶满溢", "spot": "3幢门口",
    })
    assert response.status_code == 302
    petition = Petition.objects.latest("pk")
    assert response.url == reverse("portal:petition", args=[petition.pk])
    assert petition.source == "portal" and petition.spot == "3幢门口"


def test_similar_open_reports_are_offered_before_submitting(resident, submit, categories):
    submit("sanitation")
    before = Petition.objects.count()
    response = resident.post(reverse("portal:petition_new"), {
        "category": categories["sanitation"].pk, "description": "垃圾没人清运", "check": "1",
    })
    assert response.status_code == 200
    assert response.context["duplicates"]
    assert Petition.objects.count() == before


def test_staff_without_a_home_cannot_open_the_form(client, users):
    client.force_login(users["street_office"])
    assert client.get(reverse("portal:petition_new")).status_code == 403


def test_timeline_and_rating(resident, submit, users):
    petition = submit()
    firm = users["firm_staff"]
    services.petition_accept(actor=firm, petition=petition)
    services.petition_reply(actor=firm, petition=petition, text="已修复")
    services.petition_resolve(actor=firm, petition=petition)
    page = resident.get(reverse("portal:petition", args=[petition.pk]))
    assert page.status_code == 200 and page.context["can_rate"]
    assert len(page.context["events"]) == 4
    resident.post(reverse("portal:petition_rate", args=[petition.pk]), {"rating": "5", "comment": "好"})
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and petition.rating == 5


def test_someone_elses_petition_is_a_404(client, users, submit):
    petition = submit()
    client.force_login(users["resident_2"])
    assert client.get(reverse("portal:petition", args=[petition.pk])).status_code == 404


def test_the_inbox_shows_and_marks_notifications_read(resident, submit, users):
    petition = submit()
    services.petition_accept(actor=users["firm_staff"], petition=petition)
    page = resident.get(reverse("portal:inbox"))
    assert page.status_code == 200 and page.context["unread"]
    assert not users["resident"].notifications.filter(read_at__isnull=True).exists()
