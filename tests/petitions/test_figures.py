"""Figures per node and period, checked against counts made in Python over the same rows."""

import datetime

import pytest
from django.utils import timezone

from petitions import services, tasks
from petitions.models import Petition, PetitionEvent
from petitions.selectors import petition_figures, petition_figures_raw

pytestmark = pytest.mark.django_db


def test_district_figures_match_the_rows(main_district):
    end = timezone.now() + datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=400)
    figures = petition_figures(main_district, start, end)
    rows = list(Petition.objects.filter(district=main_district))
    assert figures["total"] == len(rows)
    assert sum(figures["by_channel"].values()) == len(rows)
    # every rate counts the petitions neither rejected nor merged (the volumes count all)
    counted = [p for p in rows if p.status != "rejected" and p.close_reason != "merged"]
    resolved = [p for p in counted if p.resolved_at]
    assert figures["on_time_rate"] == round(sum(1 for p in resolved if p.resolved_on_time) / len(resolved), 4)
    ratings = list(PetitionEvent.objects.filter(petition__in=[p.pk for p in counted], kind="rated")
                   .values_list("rating", flat=True))
    assert figures["satisfaction_rate"] == round(sum(1 for r in ratings if r >= 4) / len(ratings), 4)
    assert figures["median_to_accept"] > datetime.timedelta(0)
    assert figures["departments"]
    assert figures["escalated_share"] == round(sum(1 for p in counted if p.escalations) / len(counted), 4)
    assert figures["resolution_rate"] == round(len(resolved) / len(counted), 4)


def test_compound_figures_follow_a_new_petition(demo_compound, users, submit, django_capture_on_commit_callbacks):
    end = timezone.now() + datetime.timedelta(hours=1)
    start = end - datetime.timedelta(days=2)
    before = petition_figures(demo_compound, start, end)["total"]
    petition = submit()
    tasks.refresh_new_figures()  # the minute's beat counts new petitions
    with django_capture_on_commit_callbacks(execute=True):  # a change queues its recount after commit
        services.petition_accept(actor=users["firm_staff"], petition=petition)
    after = petition_figures(demo_compound, start, end)
    assert after == petition_figures_raw(demo_compound, start, end)
    assert after["total"] == before + 1
    assert after["by_channel"]["portal"] >= 1
