"""The admin's petitions work queue: open petitions first, soonest deadline first, closed ones (no deadline) last,
the same on SQLite and PostgreSQL (NULLS LAST said explicitly); overdue ones highlighted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_open_ones_first_soonest_deadline_first_closed_last(client, users, submit):
    now = timezone.now()
    later, soon, late = submit(), submit(), submit()
    for petition, hours in ((later, 30), (soon, 2), (late, -3)):
        Petition.objects.filter(pk=petition.pk).update(deadline=now + datetime.timedelta(hours=hours))
    closed = submit()
    services.petition_merge(actor=users["firm_staff"], duplicate=closed, original=later)
    closed.refresh_from_db()
    assert closed.deadline is None and not closed.is_open

    client.force_login(users["firm_staff"])
    response = client.get(reverse("admin:petitions_petition_changelist"))
    rows = list(response.context["cl"].result_list)
    ids = [p.pk for p in rows]
    assert ids.index(late.pk) < ids.index(soon.pk) < ids.index(later.pk) < ids.index(closed.pk)
    first_closed = next(i for i, p in enumerate(rows) if not p.is_open)
    assert all(not p.is_open for p in rows[first_closed:]), "an open petition comes after a closed one"
    deadlines = [p.deadline for p in rows[:first_closed]]
    assert None not in deadlines and deadlines == sorted(deadlines)


def test_overdue_petitions_are_highlighted(client, users, submit):
    late = submit()
    Petition.objects.filter(pk=late.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(users["firm_staff"])
    html = client.get(reverse("admin:petitions_petition_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert '<strong class="overdue">' in html.decode() and "已超时" in html.decode()
