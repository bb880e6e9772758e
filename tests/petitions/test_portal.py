"""The resident's pages: my petitions, submit (with similar reports offered), the timeline, rating."""

import pytest
from django.urls import reverse

from petitions import services
from petitions.models import Petition, Status

pytestmark = pytest.mark.django_db


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


# --- similar reports as a partial request (htmx) ---------------------------------------------------------------

def _neighbour(compound):
    """Another owner of the demo compound with an account: their reports are not the resident's to open."""
    from django.contrib.auth import get_user_model

    from communities.models import Household, Person, Residency

    household = Household.objects.filter(compound=compound).order_by("-pk").first()
    user = get_user_model().objects.create_user("neighbour", password="x-neighbour-2026")
    person = Person.objects.create(district_id=compound.district_id, community_id=compound.community_id,
                                   name="邻居", user=user)
    Residency.objects.create(person=person, household=household, relation=Residency.Relation.OWNER)
    return user


def test_the_similar_check_is_a_partial_that_keeps_the_form(resident, submit, categories, users, demo_compound):
    """htmx asks for the similar reports alone: labels instead of codes, a link only to the resident's own."""
    mine = submit("sanitation")
    theirs = services.petition_submit(actor=_neighbour(demo_compound), category=categories["sanitation"],
                                      description="垃圾没人清运")
    services.petition_transfer(actor=users["firm_staff"], petition=theirs, to="committee")
    before = Petition.objects.count()
    form = resident.get(reverse("portal:petition_new")).content.decode()
    assert f'hx-get="{reverse("portal:petition_similar")}"' in form and "vendor/htmx/htmx.min.js" in form
    assert "<script>" not in form  # no inline script: a CSP without 'unsafe-inline' holds

    response = resident.get(reverse("portal:petition_similar"), {"category": categories["sanitation"].pk},
                            HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html  # a fragment: the form and its photos stay as they are
    assert reverse("portal:petition", args=[mine.pk]) in html
    assert f"#{theirs.pk}" in html and reverse("portal:petition", args=[theirs.pk]) not in html
    assert str(Status.TRANSFERRED.label) in html and ">transferred<" not in html
    assert Petition.objects.count() == before


def test_the_similar_check_asks_for_a_category_and_refuses_foreign_choices(resident, main_district, users):
    from communities.models import Building
    from petitions.models import Category

    response = resident.get(reverse("portal:petition_similar"))
    assert response.status_code == 200 and response.context["need_category"]
    foreign = Category.objects.exclude(district=main_district).first()
    response = resident.get(reverse("portal:petition_similar"), {"category": foreign.pk})
    assert response.status_code == 400 and "category" in response.context["errors"]
    elsewhere = Building.objects.exclude(compound__in=users["resident"].person.residencies.values(
        "household__compound")).first()
    response = resident.get(reverse("portal:petition_similar"), {"building": elsewhere.pk, "category": "x"})
    assert response.status_code == 400 and set(response.context["errors"]) == {"building", "category"}


def test_the_similar_check_is_for_residents_only(client, users):
    client.force_login(users["street_office"])
    assert client.get(reverse("portal:petition_similar")).status_code == 403
    client.logout()
    assert client.get(reverse("portal:petition_similar")).status_code == 302


# --- who is handling ---------------------------------------------------------------------------------------------

def test_the_timeline_names_the_organisations_not_the_people(resident, submit, users, demo_compound):
    from communities.models import Person

    petition = submit()
    firm = users["firm_staff"]
    services.petition_accept(actor=firm, petition=petition)
    services.petition_transfer(actor=firm, petition=petition, to="community_office", note="需社区协调")
    services.petition_accept(actor=users["community_office"], petition=petition)
    page = resident.get(reverse("portal:petition", args=[petition.pk]))
    html = page.content.decode()
    petition.refresh_from_db()
    firm_name = petition.compound.contracts.get(status="active").firm.name
    organisations = [e.organisation for e in page.context["events"]]
    assert organisations[0] == "您"  # the reporter's own step
    assert organisations[1] == firm_name
    assert organisations[-1].startswith(demo_compound.community.name) and "社区" in organisations[-1]
    assert page.context["handling"]["handler"].startswith(demo_compound.community.name)
    for login in ("firm_staff", "community_office"):
        person = Person.objects.filter(user=users[login]).first()
        assert users[login].username not in html
        if person:
            assert person.name not in html


def test_an_escalated_petition_names_the_supervising_office(resident, submit, demo_compound):
    import datetime

    petition = submit()
    services.sweep_deadlines(now=petition.deadline + datetime.timedelta(seconds=1))
    page = resident.get(reverse("portal:petition", args=[petition.pk]))
    escalated = [e for e in page.context["events"] if e.kind == "escalated"]
    assert escalated and escalated[0].organisation == "平台（办理时限到期）"
    assert escalated[0].to_office.startswith(demo_compound.community.name)
    assert page.context["handling"]["supervisor"] == escalated[0].to_office


def test_the_timeline_costs_the_same_queries_however_many_organisations_acted(resident, submit, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(petition):
        with CaptureQueriesContext(connection) as ctx:
            assert resident.get(reverse("portal:petition", args=[petition.pk])).status_code == 200
        return len(ctx.captured_queries)

    short = submit()
    services.petition_accept(actor=users["firm_staff"], petition=short)
    long = submit()
    services.petition_accept(actor=users["firm_staff"], petition=long)
    services.petition_transfer(actor=users["firm_staff"], petition=long, to="community_office")
    services.petition_accept(actor=users["community_office"], petition=long)
    services.petition_reply(actor=users["community_office"], petition=long, text="已协调")
    assert queries(long) == queries(short)
