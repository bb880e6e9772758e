"""The survey's one answer per household per quarter holds when two answers arrive at once (the database
constraint decides). The threads work on the demo's committed open quarter, so this module keeps the demo's
quarters (no clean slate: a delete held by the test's transaction would block the threads)."""

import datetime

import pytest

from communities.models import Household
from communities.scope import scope_for
from rankings import services
from rankings.models import Period, SurveyAnswer
from tests.governance.test_concurrency import in_threads


def _household(users):
    return Household.objects.get(pk=next(iter(scope_for(users["resident"]).own_household_ids)))


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_answers_of_one_household_at_once_store_one(users):
    household = _household(users)
    # the demo's open quarter, committed outside the test's transaction like the threads' answers
    [period] = in_threads(lambda: Period.objects.filter(district_id=household.district_id,
                                                        status=Period.Status.OPEN).first())
    today = period.starts_on + datetime.timedelta(days=10)
    try:
        for _round in range(5):
            in_threads(lambda: SurveyAnswer.objects.filter(period=period, household_id=household.pk).delete())
            outcomes = in_threads(*[
                lambda s=s: services.survey_answer(actor=users["resident"], household=household, score=s,
                                                   today=today) and "ok"
                for s in (3, 5)
            ])
            assert sorted(outcomes) == ["ok", "refused"]
            assert in_threads(lambda: SurveyAnswer.objects.filter(period=period, household_id=household.pk)
                              .count()) == [1]
    finally:
        in_threads(lambda: SurveyAnswer.objects.filter(period=period, household_id=household.pk).delete())
