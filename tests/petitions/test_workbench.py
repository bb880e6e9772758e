"""The admin home's workbench: each staff role's queues with counts, each count the very rows of the list it
links to (the same policy, the same filter), in a number of queries that does not grow with the data."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Body, TermReminder
from petitions import services
from petitions.models import Petition

STAFF = ["admin", "district_org", "district_center", "street_office", "street_office_2", "community_office",
         "commissioner", "committee_member", "firm_staff", "department_staff", "district_org_b"]
QUEUE = re.compile(r'data-queue="(?P<key>[a-z_]+)">\s*<a href="(?P<url>[^"]+)"><span class="count">(?P<n>\d+)</span>')

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(users, submit, categories):
    """Petitions in every queue: new, overdue, due soon, waiting for a rating, whistled; an open term reminder."""
    new = submit()
    overdue = submit()
    Petition.objects.filter(pk=overdue.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    soon = submit()
    services.petition_accept(actor=users["firm_staff"], petition=soon)
    Petition.objects.filter(pk=soon.pk).update(deadline=timezone.now() + datetime.timedelta(hours=3))
    rated = submit()
    services.petition_accept(actor=users["firm_staff"], petition=rated)
    services.petition_reply(actor=users["firm_staff"], petition=rated, text="已修好")
    services.petition_resolve(actor=users["firm_staff"], petition=rated)
    whistled = submit()
    Petition.objects.filter(pk=whistled.pk).update(level="street")
    from communities.models import Department

    police = Department.objects.filter(district_id=whistled.district_id, kind="police").first()
    services.petition_whistle(actor=users["street_office"], petition=whistled, departments=[police])
    body = Body.objects.filter(compound_id=new.compound_id, term_ends_on__isnull=False).first()
    if body is not None:
        TermReminder.objects.get_or_create(body=body, term_ends_on=body.term_ends_on, kind="days_30",
                                           defaults={"district_id": body.district_id})
    return [new, overdue, soon, rated, whistled]


def _queues(client) -> dict:
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    return {m["key"]: (m["url"].replace("&amp;", "&"), int(m["n"])) for m in QUEUE.finditer(html)}


@pytest.mark.parametrize("login", STAFF)
def test_each_count_is_the_rows_of_the_list_it_links_to(client, users, busy, login):
    client.force_login(users[login])
    queues = _queues(client)
    assert queues, f"{login} has no workbench"
    for key, (url, count) in queues.items():
        listing = client.get(url)
        assert listing.status_code == 200, (key, url)
        assert listing.context["cl"].result_count == count, (login, key)
        # The filter really filters: the count is that of a subset of the user's rows.
        assert count <= listing.context["cl"].full_result_count


def test_the_queues_follow_the_role(client, users, busy):
    expected = {
        "firm_staff": {"new", "overdue", "due_soon", "rating"},
        "commissioner": {"new", "overdue", "due_soon", "rating", "term_reminders"},
        "street_office": {"new", "overdue", "due_soon", "rating", "whistled", "work_requests", "term_reminders"},
        "department_staff": {"new", "overdue", "due_soon", "rating", "whistled", "work_requests"},
    }
    for login, keys in expected.items():
        client.force_login(users[login])
        assert set(_queues(client)) == keys, login


def test_the_counts_are_those_of_the_role(client, users, busy):
    client.force_login(users["firm_staff"])
    firm = _queues(client)
    assert firm["new"][1] >= 2 and firm["overdue"][1] >= 1 and firm["due_soon"][1] >= 1 and firm["rating"][1] >= 1
    client.force_login(users["street_office"])
    assert _queues(client)["whistled"][1] >= 1
    client.force_login(users["street_office_2"])  # the other street sees none of these
    other = _queues(client)
    ids = {p.pk for p in busy}
    for key in ("new", "overdue", "due_soon", "rating", "whistled"):
        listed = client.get(other[key][0]).context["cl"].result_list
        assert not ids & {p.pk for p in listed}, key


def test_the_page_is_in_chinese(client, users, busy):
    client.force_login(users["street_office"])
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我的工作台" in html and "已超时" in html


@pytest.mark.parametrize("login", ["street_office", "commissioner", "firm_staff", "department_staff", "admin"])
def test_the_workbench_costs_the_same_queries_whatever_the_data(client, users, submit, login):
    client.force_login(users[login])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(12):
        petition = submit()
        Petition.objects.filter(pk=petition.pk).update(deadline=timezone.now() - datetime.timedelta(hours=2))
    assert count() == before
