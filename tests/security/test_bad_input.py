"""Hostile request input answers 400/404, never a 500: nested JSON, absurd page numbers, digits that are not ASCII
(issue 13)."""

import pytest
from django.urls import reverse

from core.parsers import json_depth_exceeds

LIST_ROUTES = [
    "/api/v1/districts/", "/api/v1/streets/", "/api/v1/communities/", "/api/v1/compounds/", "/api/v1/buildings/",
    "/api/v1/households/", "/api/v1/people/", "/api/v1/governance/lists/", "/api/v1/governance/meetings/",
    "/api/v1/petitions/",
]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.django_db
class TestNestedJson:
    def test_a_deeply_nested_login_body_is_a_400_without_logging_in(self, api):
        response = api.post(reverse("auth-token"), nested(5000), content_type="application/json")
        assert response.status_code == 400
        assert "32" in response.json()["detail"]

    def test_a_deeply_nested_body_is_a_400_on_a_logged_in_route(self, as_user):
        response = as_user("resident").post("/api/v1/petitions/", nested(100_000), content_type="application/json")
        assert response.status_code == 400

    def test_brackets_inside_strings_do_not_count(self, api):
        body = '{"username": "%s", "password": "x"}' % ("[" * 5000)
        response = api.post(reverse("auth-token"), body, content_type="application/json")
        assert response.status_code == 400
        assert "non_field_errors" in response.json() or "username" in response.json()

    def test_the_depth_count(self):
        assert not json_depth_exceeds(nested(32).encode(), 32)
        assert json_depth_exceeds(nested(33).encode(), 32)
        assert not json_depth_exceeds(b'{"a": "[[[[[[", "b": "\\"[[[["}', 2)
        assert json_depth_exceeds(b'{"a": [{"b": [1]}]}', 3)


@pytest.mark.django_db
class TestPageNumbers:
    @pytest.mark.parametrize("route", LIST_ROUTES)
    @pytest.mark.parametrize("page", ["100000000000000000000", "9223372036854775808", "46116860184273879"])
    def test_a_page_beyond_bigint_is_a_404(self, as_user, route, page):
        response = as_user("district_org").get(route, {"page": page})
        assert response.status_code == 404
        assert response.json() == {"detail": "无效页码。"}

    @pytest.mark.parametrize("page", ["²", "٣", " 1", "+1", "1_0", "0", "-1", "last"])
    def test_a_page_that_is_not_plain_digits_is_a_404(self, as_user, page):
        for route in ("/api/v1/compounds/", "/api/v1/people/"):
            assert as_user("district_org").get(route, {"page": page}).status_code == 404

    @pytest.mark.parametrize("size", ["²", "abc", "0", "201", "1e2", "٣"])
    def test_a_page_size_that_is_not_plain_digits_in_range_is_a_400(self, as_user, size):
        for route in ("/api/v1/compounds/", "/api/v1/people/"):
            response = as_user("district_org").get(route, {"page_size": size})
            assert response.status_code == 400
            assert "page_size" in response.json()

    def test_a_plain_page_size_still_works(self, as_user):
        response = as_user("district_org").get("/api/v1/compounds/", {"page_size": "2", "page": "1"})
        assert response.status_code == 200
        assert len(response.json()["results"]) == 2


@pytest.mark.django_db
class TestNonAsciiDigits:
    @pytest.mark.parametrize("name", ["street", "community", "compound"])
    @pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999"])
    def test_coverage_refuses_digits_that_are_not_ascii(self, as_user, name, value):
        response = as_user("district_org").get("/api/v1/governance/coverage/", {name: value})
        assert response.status_code == 400
        assert name in response.json()

    def test_coverage_with_a_plain_id_works(self, as_user, users):
        street = users["street_office"].role_assignments.get().street_id
        assert as_user("district_org").get("/api/v1/governance/coverage/", {"street": str(street)}).status_code == 200
