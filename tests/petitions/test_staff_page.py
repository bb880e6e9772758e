"""A petition's staff page shows everyone who may see the petition its timeline (who did what, when), its
whistles with their state and lateness, and its merged duplicates — not only the superuser."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Department
from petitions import services
from petitions.models import Petition, Whistle
from tests.conftest import ROLE_LOGINS
from tests.petitions.oracle import expected_petitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(users, submit):
    """A petition accepted by the firm, escalated to the street and whistled (the call late), with a duplicate."""
    petition = submit()
    services.petition_accept(actor=users["firm_staff"], petition=petition, note="已派维修工")
    Petition.objects.filter(pk=petition.pk).update(level="street")
    police = Department.objects.filter(district_id=petition.district_id, kind="police").first()
    services.petition_whistle(actor=users["street_office"], petition=petition, departments=[police], note="请派员")
    Whistle.objects.filter(petition=petition).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    duplicate = submit()
    services.petition_merge(actor=users["firm_staff"], duplicate=duplicate, original=petition)
    return petition, duplicate, police


@pytest.mark.parametrize("login", [*ROLE_LOGINS, "admin"])
def test_everyone_who_sees_the_petition_sees_its_record(client, users, worked, login):
    petition, duplicate, police = worked
    client.force_login(users[login])
    response = client.get(reverse("admin:petitions_petition_change", args=[petition.pk]),
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    if petition.pk not in expected_petitions(users[login]):
        assert response.status_code in (302, 403, 404)  # residents have no staff pages; others: unknown
        return
    if login in ("resident", "resident_2"):
        assert response.status_code == 302  # residents are sent to the login page: they have no staff pages
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="petition-timeline"' in html and "已派维修工" in html  # the accept's note, by whom
    assert "firm_staff" in html or "物业" in html or users["firm_staff"].person.name in html
    assert police.name in html and 'class="late"' in html  # the whistle, late
    assert 'id="petition-duplicates"' in html
    dup_link = reverse("admin:petitions_petition_change", args=[duplicate.pk])
    assert (dup_link in html) == (duplicate.pk in expected_petitions(users[login]))


def test_the_anonymous_reporter_stays_anonymous_to_the_handler(client, users, submit):
    petition = submit(anonymous=True)
    services.petition_accept(actor=users["firm_staff"], petition=petition)
    resident_name = users["resident"].person.name
    client.force_login(users["firm_staff"])
    html = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    timeline = html[html.index('id="petition-timeline"'):html.index('id="petition-whistles"')]
    assert resident_name not in timeline and "resident" not in timeline
    client.force_login(users["community_office"])  # from the community up, staff see who it is
    html = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    timeline = html[html.index('id="petition-timeline"'):html.index('id="petition-whistles"')]
    assert resident_name in timeline


def test_the_page_costs_the_same_queries_however_long_the_record(client, users, submit):
    petition = submit()
    services.petition_accept(actor=users["firm_staff"], petition=petition)
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    client.force_login(users["firm_staff"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    services.petition_start(actor=users["firm_staff"], petition=petition)
    for _ in range(4):
        services.petition_merge(actor=users["firm_staff"], duplicate=submit(), original=petition)
    assert count() == before


def test_a_call_back_from_the_petition_page_is_logged_with_a_reason_in_words(client, users, categories,
                                                                             demo_compound):
    from communities.models import PersonalDataAccess

    petition = services.petition_record(
        actor=users["street_office"], compound=demo_compound, category=categories["repair"],
        source="hotline_12345", description="来电：电梯异响", reporter_name="李女士", reporter_phone="13700001111")
    client.force_login(users["firm_staff"])
    client.post(reverse("admin:petitions_petition_call_back", args=[petition.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    log = PersonalDataAccess.objects.get(actor=users["firm_staff"])
    assert log.reason == f"就第{petition.pk}号诉求回访"


def test_a_duplicate_links_its_original_only_for_those_who_see_it(client, users, worked):
    petition, duplicate, _police = worked
    link = reverse("admin:petitions_petition_change", args=[petition.pk])
    client.force_login(users["commissioner"])
    html = client.get(reverse("admin:petitions_petition_change", args=[duplicate.pk])).content.decode()
    assert link in html[html.index('id="petition-record"'):]
    # Routed elsewhere, the original drops out of the firm's sight: its number stays, the link goes.
    Petition.objects.filter(pk=petition.pk).update(handler_kind="community_office", handler_firm=None)
    client.force_login(users["firm_staff"])
    html = client.get(reverse("admin:petitions_petition_change", args=[duplicate.pk])).content.decode()
    record = html[html.index('id="petition-record"'):]
    assert f"#{petition.pk}" in record and link not in record
