"""A resident reads their firm's menu, stars and list history, answers the quarter's survey once, and reads the
district's red and black lists."""

import pytest
from django.utils import timezone

from communities.scope import scope_for
from properties.models import Contract
from rankings.models import FirmResult, Period, SurveyAnswer


@pytest.mark.django_db
def test_a_resident_reads_their_firm_s_menu_stars_and_lists(client, users):
    client.force_login(users["resident"])
    page = client.get("/firm/")
    assert page.status_code == 200
    household = next(iter(scope_for(users["resident"]).residencies)).household
    contract = Contract.objects.get(compound_id=household.compound_id, status="active")
    text = page.content.decode()
    assert contract.firm.name in text
    assert "法律咨询" in text and "上门维修" in text  # the demo menu
    published = FirmResult.objects.filter(firm=contract.firm, period__status="published").count()
    assert published and len(page.context["record"]["results"]) == published
    assert page.context["record"]["stars"]


@pytest.mark.django_db
def test_the_survey_is_answered_once_a_quarter_from_the_portal(client, users, quarter_open):
    client.force_login(users["resident"])
    household = next(iter(scope_for(users["resident"]).residencies)).household
    assert Period.objects.filter(district_id=household.district_id, status="open",
                                 starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate()).exists()
    for score in ("4", "2"):
        assert client.post("/firm/survey/", {"household": household.pk, "score": score}).status_code == 302
    assert list(SurveyAnswer.objects.filter(household_id=household.pk).values_list("score", flat=True)) == [4]
    assert client.get("/firm/").context["survey"]["answered"]
    # another resident's household is not theirs to answer for
    client.force_login(users["resident_2"])
    assert client.post("/firm/survey/", {"household": household.pk, "score": "5"}).status_code == 404


@pytest.mark.django_db
def test_the_district_lists_and_the_best_red_firms(client, users, django_assert_max_num_queries):
    client.force_login(users["resident"])
    with django_assert_max_num_queries(12):
        page = client.get("/lists/")
    assert page.status_code == 200
    quarters = page.context["quarters"]
    assert quarters and all(p.status == "published" for p, _placed in quarters)
    district_id = next(iter(scope_for(users["resident"]).residencies)).household.district_id
    assert all(p.district_id == district_id for p, _placed in quarters)


@pytest.mark.django_db
def test_staff_without_a_home_get_404_on_the_residents_pages(client, users):
    client.force_login(users["street_office"])
    assert client.get("/firm/").status_code == 404
    assert client.get("/lists/").status_code == 404
