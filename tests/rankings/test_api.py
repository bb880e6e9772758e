"""Through the API: the firm reads its own scores and breakdowns and appeals; a resident answers the survey; bad
input is a 400 with the field, never a 500."""

import datetime

import pytest
from django.utils import timezone

from communities.models import RoleAssignment
from communities.scope import scope_for
from rankings import services
from rankings.models import FirmResult, Period, Score


def _firm_id(users):
    return RoleAssignment.objects.get(user=users["firm_staff"]).firm_id


@pytest.mark.django_db
def test_the_firm_sees_its_own_scores_with_their_breakdown(as_user, users):
    firm_id = _firm_id(users)
    rows = as_user("firm_staff").get("/api/v1/rankings/scores/?page_size=200").json()["results"]
    assert rows and {r["firm"] for r in rows} == {firm_id}
    assert all("parts" in r["breakdown"] and r["breakdown"]["rounding"] for r in rows)
    assert Score.objects.exclude(firm_id=firm_id).exists()


@pytest.mark.django_db
def test_the_firm_appeals_within_the_days_and_gets_a_400_after(as_user, users):
    client, firm_id = as_user("firm_staff"), _firm_id(users)
    result = FirmResult.objects.filter(firm_id=firm_id, period__status="published").order_by("-period__year",
                                                                                               "-period__quarter").first()
    # published more than the district's appeal days ago (not the demo's own date: in the first days of a quarter
    # the demo's latest quarter was published days ago only, or is still to be published)
    _weights, _rules, days = services.rules_for(result.period.district_id)
    Period.objects.filter(pk=result.period_id).update(
        published_at=timezone.now() - datetime.timedelta(days=days, minutes=1))
    late = client.post("/api/v1/rankings/appeals/", {"period": result.period_id, "firm": firm_id, "reason": "复核"})
    assert late.status_code == 400 and "period" in late.json()
    Period.objects.filter(pk=result.period_id).update(published_at=timezone.now())
    made = client.post("/api/v1/rankings/appeals/", {"period": result.period_id, "firm": firm_id, "reason": "复核"})
    assert made.status_code == 201, made.content
    assert client.post("/api/v1/rankings/appeals/", {"period": result.period_id, "firm": firm_id,
                                                     "reason": ""}).status_code == 400
    decided = as_user("district_center").post(f"/api/v1/rankings/appeals/{made.json()['id']}/decide/",
                                              {"upheld": False, "decision": "维持原评定"})
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    assert client.post(f"/api/v1/rankings/appeals/{made.json()['id']}/decide/",
                       {"upheld": True, "decision": "x"}).status_code in (403, 404)


@pytest.mark.django_db
def test_a_resident_answers_the_survey_once_through_the_api(as_user, users, quarter_open):
    client = as_user("resident")
    household = next(iter(scope_for(users["resident"]).own_household_ids))
    assert client.post("/api/v1/rankings/survey/", {"household": household, "score": 9}).status_code == 400
    assert client.post("/api/v1/rankings/survey/", {"household": household, "score": 4}).status_code == 201
    again = client.post("/api/v1/rankings/survey/", {"household": household, "score": 4})
    assert again.status_code == 400 and "household" in again.json()
    assert client.post("/api/v1/rankings/survey/", {"household": 2**62, "score": 4}).status_code == 404


@pytest.mark.django_db
def test_zeroing_figures_in_scope_and_a_street_assigns_through_the_api(as_user, users):
    client = as_user("street_office")
    rows = client.get("/api/v1/properties/zeroing/?by=community").json()
    assert rows and all(r["compounds"] >= r["unmanaged"] for r in rows)
    assert client.get("/api/v1/properties/zeroing/?by=planet").status_code == 400
    bad = client.post("/api/v1/properties/fallback-assignments/", {"compound": 1, "mode": "unmanaged",
                                                                   "startup_money": "-1"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_street_decides_an_exit_and_the_centre_starts_the_handover_through_the_api(as_user, users):
    from rankings.models import ExitCase

    case = ExitCase.objects.filter(status="open", district__name="镇海区").first() or \
        ExitCase.objects.filter(status="open").first()
    centre = as_user("district_center")
    candidates = centre.get(f"/api/v1/rankings/exits/{case.pk}/candidates/").json()
    assert candidates and case.firm_id not in {c["id"] for c in candidates}
    assert [c["priority"] for c in candidates] == sorted((c["priority"] for c in candidates), reverse=True)
    assert centre.post(f"/api/v1/rankings/exits/{case.pk}/decide/", {"decision": "nonsense"}).status_code == 400
    street = ExitCase.objects.get(pk=case.pk).street_id
    login = "street_office" if street == RoleAssignment.objects.get(user=users["street_office"]).street_id \
        else "street_office_2"
    decided = as_user(login).post(f"/api/v1/rankings/exits/{case.pk}/decide/", {"decision": "street"})
    assert decided.status_code == 200, decided.content
    started = centre.post(f"/api/v1/rankings/exits/{case.pk}/handover/", {"incoming_firm": candidates[0]["id"]})
    assert started.status_code == 200 and started.json()["status"] == "handover"
    early = centre.post(f"/api/v1/rankings/exits/{case.pk}/complete/", {"starts_on": "2026-12-01"})
    assert early.status_code == 400  # the checklist is not ticked
    assert as_user("resident").get(f"/api/v1/rankings/exits/{case.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_firm_is_chosen_in_priority_order_with_its_stars(client, users):
    from django.utils import timezone

    from rankings.selectors import firms_by_priority

    client.force_login(users["district_center"])
    page = client.get("/admin/properties/contract/add/")
    assert page.status_code == 200
    field = page.context["adminform"].form.fields["firm"]
    district_id = RoleAssignment.objects.get(user=users["district_center"]).district_id
    offered = [f.pk for f in field.queryset]
    assert offered == [f.pk for f in firms_by_priority(district_id, year=timezone.localdate().year)]
    best = field.queryset[0]
    assert best.priority == 1 and field.label_from_instance(best).startswith(best.name)
