"""Indicator weights are Decimals on every path (stored, read, typed in the admin or the API) and the district's
rules are checked: known indicators, weights ≥ 0, a positive sum outside fee collection."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rankings import rules, services
from rankings.models import EvaluationRules, Score


@pytest.fixture(autouse=True)
def _own_quarters(clean_slate):
    """These tests make their own quarters."""


def test_parse_weights_refuses_what_the_rules_do_not_allow():
    assert rules.parse_weights({"survey": Decimal("12.5"), "timeliness": "7"}) == {
        "survey": Decimal("12.5"), "timeliness": Decimal("7")}
    for bad in ({"survey": -1}, {"survey": 0}, {"fee_collection": 10}, {"nonsense": 10}, {"survey": 1.5},
                {"survey": "ten"}, {"survey": True}, {"survey": "NaN"}, {}, [10]):
        with pytest.raises(ValidationError):
            rules.parse_weights(bad)


def test_the_default_weights_are_decimals():
    assert all(isinstance(w, Decimal) for w in rules.DEFAULT_WEIGHTS.values())


@pytest.mark.django_db
def test_weights_with_a_fraction_are_read_as_decimals_and_score_the_quarter(users, place, period):
    # given weights stored as JSON numbers with a fraction (as a form or an older row writes them)
    weights = {code: 10 for code in rules.DEFAULT_WEIGHTS}
    weights["survey"] = 12.5
    EvaluationRules.objects.update_or_create(district=place["district"], defaults={"weights": weights})
    # when the quarter is scored
    services.period_compute(actor=users["district_center"], period=period)
    # then every weight was a Decimal, shown exactly in the breakdown
    read, _placement, _days = services.rules_for(place["district"].pk)
    assert read["survey"] == Decimal("12.5") and all(isinstance(w, Decimal) for w in read.values())
    parts = Score.objects.filter(period=period).first().breakdown["parts"]
    assert {p["code"]: p["weight"] for p in parts}["survey"] == "12.5000"


@pytest.mark.django_db
def test_the_api_changes_the_rules_and_refuses_bad_weights_with_a_400(users, place, as_user):
    found = EvaluationRules.objects.get(district=place["district"])
    client = as_user("district_center")
    url = f"/api/v1/rankings/rules/{found.pk}/"
    for bad in ({"survey": -5}, {"survey": 0}, {"nonsense": 5}, {"survey": "x"}):
        answer = client.put(url, {"weights": bad}, format="json")
        assert answer.status_code == 400 and "weights" in answer.json(), (bad, answer.content)
    answer = client.put(url, {"black_below": "95"}, format="json")
    assert answer.status_code == 400 and "black_below" in answer.json()
    answer = client.put(url, {"weights": {"survey": 12.5, "timeliness": "7.25", "party_building": 0}},
                        format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["weights"] == {"survey": "12.5000", "timeliness": "7.2500", "party_building": "0.0000"}
    found.refresh_from_db()
    assert services.rules_for(place["district"].pk)[0] == {
        "survey": Decimal("12.5"), "timeliness": Decimal("7.25"), "party_building": Decimal("0")}
    assert as_user("street_office").put(url, {"weights": {"survey": 1}}, format="json").status_code == 403
    assert as_user("district_org_b").put(url, {"weights": {"survey": 1}}, format="json").status_code == 404


@pytest.mark.django_db
def test_the_admin_form_shows_the_weights_error(client, users, place):
    found = EvaluationRules.objects.get(district=place["district"])
    client.force_login(users["district_center"])
    url = f"/admin/rankings/evaluationrules/{found.pk}/change/"
    page = client.post(url, {"weights": '{"survey": -3}', "red_share": "0.1", "red_min_score": "90",
                             "black_below": "60", "appeal_days": "7"})
    assert page.status_code == 200
    assert "must not be negative" in page.content.decode() or "不能为负" in page.content.decode()
    page = client.post(url, {"weights": '{"survey": 12.5, "timeliness": 3}', "red_share": "0.1",
                             "red_min_score": "90", "black_below": "60", "appeal_days": "7"})
    assert page.status_code == 302, page.content.decode()[:2000]
    found.refresh_from_db()
    assert found.weights == {"survey": "12.5", "timeliness": "3"}


# One rule at both doors: each bad weight gets the same message from the API and from the admin's form.
BAD_WEIGHTS = [
    ('{"survey": 1.23456}', "may have at most 4 decimal places"),
    ('{"survey": "-1"}', "must not be negative"),
    ('{"survey": 123456}', "must be less than 100000"),
    ('{"fee_collection": 5, "survey": 0}', "must add up to more than zero"),
    ('{"nonsense": 5}', "Unknown indicators"),
    ('{"survey": "ten"}', "must be a decimal number"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("raw, message", BAD_WEIGHTS)
def test_the_api_and_the_admin_refuse_bad_weights_by_one_rule(users, place, as_user, client, raw, message):
    import json

    found = EvaluationRules.objects.get(district=place["district"])
    kept = found.weights
    api = as_user("district_center").put(f"/api/v1/rankings/rules/{found.pk}/", {"weights": json.loads(raw)},
                                         format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400, api.content
    client.force_login(users["district_center"])
    page = client.post(f"/admin/rankings/evaluationrules/{found.pk}/change/", {
        "weights": raw, "red_share": "0.1", "red_min_score": "90", "black_below": "60", "appeal_days": "7"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    admin_messages = list(page.context["adminform"].form.errors["weights"])
    assert api.json()["weights"] == admin_messages
    assert len(admin_messages) == 1 and message in admin_messages[0]
    found.refresh_from_db()
    assert found.weights == kept


@pytest.mark.django_db
def test_a_weight_of_four_places_is_taken_at_both_doors(users, place, as_user, client):
    found = EvaluationRules.objects.get(district=place["district"])
    api = as_user("district_center").put(f"/api/v1/rankings/rules/{found.pk}/",
                                         {"weights": {"survey": 1.2345, "timeliness": "99999.5000"}}, format="json")
    assert api.status_code == 200, api.content
    assert services.rules_for(place["district"].pk)[0] == {"survey": Decimal("1.2345"),
                                                            "timeliness": Decimal("99999.5")}
    client.force_login(users["district_center"])
    page = client.post(f"/admin/rankings/evaluationrules/{found.pk}/change/", {
        "weights": '{"survey": 1.2345, "timeliness": "99999.5000"}', "red_share": "0.1", "red_min_score": "90",
        "black_below": "60", "appeal_days": "7"})
    assert page.status_code == 302
    assert services.rules_for(place["district"].pk)[0] == {"survey": Decimal("1.2345"),
                                                            "timeliness": Decimal("99999.5")}
