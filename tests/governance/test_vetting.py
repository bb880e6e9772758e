"""Candidates and joint vetting: only a candidate every department passed can be elected."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.models import Department, Person
from core.errors import DomainError
from governance import services
from governance.models import Body, BodyMember, Candidate, Vetting

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(users, demo_compound):
    person = Person.objects.create(district_id=demo_compound.district_id, name="Chen")
    candidate = Candidate.objects.create(compound=demo_compound, person=person, is_party_member=True)
    services.candidate_send_for_vetting(actor=users["community_office"], candidate=candidate)
    return candidate


def test_the_default_departments_are_police_court_and_urban_management(candidate):
    kinds = set(candidate.vettings.values_list("department__kind", flat=True))
    assert kinds == {Department.Kind.POLICE, Department.Kind.COURT, Department.Kind.URBAN_MANAGEMENT}


def test_only_the_department_asked_answers(users, candidate):
    police = candidate.vettings.get(department__kind="police")
    court = candidate.vettings.get(department__kind="court")
    services.vetting_answer(actor=users["department_staff"], vetting=police, outcome="pass")
    with pytest.raises((PermissionDenied, Http404)):
        services.vetting_answer(actor=users["department_staff"], vetting=court, outcome="pass")
    with pytest.raises((PermissionDenied, Http404)):
        services.vetting_answer(actor=users["community_office"], vetting=court, outcome="pass")


def test_a_fail_needs_a_reason_and_an_answer_stays(users, candidate):
    police = candidate.vettings.get(department__kind="police")
    with pytest.raises(DomainError):
        services.vetting_answer(actor=users["department_staff"], vetting=police, outcome="fail", reason=" ")
    services.vetting_answer(actor=users["department_staff"], vetting=police, outcome="fail", reason="Record")
    with pytest.raises(DomainError):
        services.vetting_answer(actor=users["department_staff"], vetting=police, outcome="pass")


def _answer_all(candidate, outcome="pass"):
    candidate.vettings.update(outcome=outcome, reason="x" if outcome == "fail" else "")


def test_only_an_all_pass_candidate_is_electable(users, candidate, demo_compound):
    body = Body.objects.filter(compound=demo_compound).first()
    with pytest.raises(DomainError):  # still pending
        services.candidate_elect(actor=users["community_office"], candidate=candidate, body=body)
    _answer_all(candidate)
    candidate.vettings.filter(department__kind="court").update(outcome=Vetting.Outcome.FAIL, reason="Judgment")
    with pytest.raises(DomainError):  # one fail
        services.candidate_elect(actor=users["community_office"], candidate=candidate, body=body)
    _answer_all(candidate)
    member = services.candidate_elect(actor=users["community_office"], candidate=candidate, body=body)
    assert member.is_party_member and BodyMember.objects.filter(body=body, person=candidate.person).exists()


def test_an_unvetted_candidate_is_not_electable(users, demo_compound):
    person = Person.objects.create(district_id=demo_compound.district_id, name="Sun")
    candidate = Candidate.objects.create(compound=demo_compound, person=person)
    body = Body.objects.filter(compound=demo_compound).first()
    with pytest.raises(DomainError):
        services.candidate_elect(actor=users["community_office"], candidate=candidate, body=body)


def test_answer_through_the_api(as_user, candidate):
    police = candidate.vettings.get(department__kind="police")
    client = as_user("department_staff")
    assert client.post(f"/api/v1/governance/vettings/{police.pk}/answer/", {"outcome": "fail"},
                       format="json").status_code == 400
    response = client.post(f"/api/v1/governance/vettings/{police.pk}/answer/",
                           {"outcome": "fail", "reason": "Record"}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "fail"
    court = candidate.vettings.get(department__kind="court")
    assert client.post(f"/api/v1/governance/vettings/{court.pk}/answer/", {"outcome": "pass"},
                       format="json").status_code == 404
    # the community office sees the vetting but may not answer it
    assert as_user("community_office").post(f"/api/v1/governance/vettings/{court.pk}/answer/",
                                            {"outcome": "pass"}, format="json").status_code == 403
