"""Term reminders at 90 and 30 days and lapsed terms, annual evaluations, coverage figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from governance import services
from governance.models import Body, Evaluation, TermReminder

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 1)


def _body_ending_in(demo_compound, days):
    body = Body.objects.filter(compound=demo_compound).first()
    Body.objects.filter(pk=body.pk).update(formed_on=TODAY.replace(year=2025),
                                           term_ends_on=TODAY + datetime.timedelta(days=days))
    TermReminder.objects.filter(body=body).delete()
    return body


@pytest.mark.parametrize("days,kind", [(90, "days_90"), (31, "days_90"), (30, "days_30"), (0, "days_30"),
                                       (-1, "lapsed")])
def test_term_reminders_at_90_and_30_days_and_when_lapsed(demo_compound, days, kind):
    body = _body_ending_in(demo_compound, days)
    services.bodies_remind_terms(today=TODAY)
    assert list(TermReminder.objects.filter(body=body).values_list("kind", flat=True)) == [kind]


def test_no_reminder_beyond_90_days_and_none_twice(demo_compound):
    body = _body_ending_in(demo_compound, 91)
    services.bodies_remind_terms(today=TODAY)
    assert not TermReminder.objects.filter(body=body).exists()
    body = _body_ending_in(demo_compound, 60)
    services.bodies_remind_terms(today=TODAY)
    services.bodies_remind_terms(today=TODAY)
    services.bodies_remind_terms(today=TODAY + datetime.timedelta(days=31))  # now 29 days left
    assert sorted(TermReminder.objects.filter(body=body).values_list("kind", flat=True)) == ["days_30", "days_90"]


def test_the_celery_task_runs_the_reminders():
    from governance.tasks import remind_terms

    assert remind_terms.delay().get() >= 0


def test_an_annual_evaluation_once_a_year_with_reasons(users, demo_compound):
    body = Body.objects.filter(compound=demo_compound).first()
    Evaluation.objects.filter(body=body).delete()
    with pytest.raises(DomainError):
        services.evaluation_record(actor=users["community_office"], body=body, year=2031, rating="not_trustworthy",
                                   evaluators="Branch, supervisory board", reasons="")
    services.evaluation_record(actor=users["community_office"], body=body, year=2031, rating="trustworthy",
                               evaluators="Branch, supervisory board", reasons="Accounts published on time")
    with pytest.raises(DomainError):
        services.evaluation_record(actor=users["community_office"], body=body, year=2031, rating="average",
                                   evaluators="Branch", reasons="")
    with pytest.raises(PermissionDenied):
        services.evaluation_record(actor=users["committee_member"], body=body, year=2032, rating="trustworthy",
                                   evaluators="Ourselves", reasons="We are fine")


def test_coverage_figures_per_street_are_inside_the_district(as_user, users):
    client = as_user("district_org")
    whole = client.get("/api/v1/governance/coverage/").json()
    street = client.get("/api/v1/governance/coverage/?street="
                        f"{users['street_office'].role_assignments.first().street_id}").json()
    assert 0 < street["compounds"] < whole["compounds"]
    for key in ("building_head_coverage", "member_reporting_rate", "commissioner_coverage",
                "committee_party_coverage"):
        assert whole[key] is not None and 0 <= float(whole[key]) <= 1
    assert 0.75 < float(whole["member_reporting_rate"]) < 1
    assert as_user("street_office").get("/api/v1/governance/coverage/").json() == street
