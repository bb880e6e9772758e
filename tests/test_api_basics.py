"""Login, me, errors and the operational endpoints."""

import pytest
from django.test import override_settings

from communities.models import Compound, Person, PersonalDataAccess
from tests.conftest import PASSWORD


@pytest.mark.django_db
class TestTokenLogin:
    def test_a_valid_login_returns_a_token_that_authenticates(self, api):
        response = api.post("/api/v1/auth/token/", {"username": "street_office", "password": PASSWORD}, format="json")
        assert response.status_code == 200
        token = response.json()["token"]
        me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
        assert me.status_code == 200
        assert me.json()["username"] == "street_office"

    def test_a_wrong_password_is_a_400_with_a_message(self, api):
        response = api.post("/api/v1/auth/token/", {"username": "street_office", "password": "nope"}, format="json")
        assert response.status_code == 400
        assert response.json()["non_field_errors"]

    def test_missing_fields_are_reported_per_field(self, api):
        response = api.post("/api/v1/auth/token/", {}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"username", "password"}

    def test_messages_follow_the_users_language(self, api):
        zh = api.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
        en = api.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert zh.json()["username"] != en.json()["username"]
        assert en.json()["username"] == ["This field is required."]

    def test_repeated_failures_lock_the_login_even_with_the_right_password(self, api):
        for _ in range(5):
            api.post("/api/v1/auth/token/", {"username": "resident", "password": "wrong"}, format="json")
        locked = api.post("/api/v1/auth/token/", {"username": "resident", "password": PASSWORD}, format="json")
        assert locked.status_code == 429
        other = api.post("/api/v1/auth/token/", {"username": "resident_2", "password": PASSWORD}, format="json")
        assert other.status_code == 200


@pytest.mark.django_db
class TestMe:
    def test_roles_come_with_their_scopes(self, as_user):
        body = as_user("community_office").get("/api/v1/me/").json()
        assert [r["role"] for r in body["roles"]] == ["community_office"]
        assert body["roles"][0]["scope"]["type"] == "community"

    def test_a_resident_is_a_resident_of_their_household(self, as_user, users):
        body = as_user("resident").get("/api/v1/me/").json()
        assert body["roles"][0]["role"] == "resident"
        household_id = body["roles"][0]["scope"]["id"]
        assert users["resident"].person.residencies.filter(household_id=household_id).exists()


@pytest.mark.django_db
class TestErrors:
    def test_unknown_and_invisible_ids_answer_the_same_404(self, as_user):
        client = as_user("street_office")
        outside = Compound.objects.exclude(street__name__in=[]).filter(district__code="gongshu").first()
        unknown = client.get("/api/v1/compounds/999999999/")
        invisible = client.get(f"/api/v1/compounds/{outside.pk}/")
        assert unknown.status_code == invisible.status_code == 404
        assert unknown.json() == invisible.json()

    def test_a_non_numeric_id_is_a_404_not_a_500(self, as_user):
        assert as_user("district_org").get("/api/v1/compounds/abc/").status_code == 404

    def test_a_bad_filter_value_is_a_400(self, as_user):
        response = as_user("district_org").get("/api/v1/compounds/?street=abc")
        assert response.status_code == 400
        assert "street" in response.json()

    def test_a_bad_page_is_a_404(self, as_user):
        assert as_user("district_org").get("/api/v1/compounds/?page=999").status_code == 404

    @override_settings(MAX_REQUEST_BODY_BYTES=1024)
    def test_an_oversized_body_is_a_413(self, as_user):
        response = as_user("district_org").post(
            "/api/v1/auth/token/", {"username": "x" * 2000, "password": "y"}, format="json"
        )
        assert response.status_code == 413

    def test_malformed_json_is_a_400(self, api):
        response = api.post("/api/v1/auth/token/", "{not json", content_type="application/json")
        assert response.status_code == 400


@pytest.mark.django_db
class TestPersonalData:
    def test_numbers_are_masked_in_the_api(self, as_user):
        row = as_user("community_office").get("/api/v1/people/").json()["results"][0]
        person = Person.objects.get(pk=row["id"])
        if person.phone:
            assert row["phone"] == person.phone[:3] + "****" + person.phone[-4:]
        assert "*" in row["phone"] or not person.phone

    def test_the_community_office_reveals_a_residents_number_and_it_is_logged(self, as_user, users):
        client = as_user("community_office")
        person = Person.objects.filter(residencies__household__community__in=[
            users["community_office"].role_assignments.get().community_id
        ]).first()
        response = client.post(f"/api/v1/people/{person.pk}/reveal/", {"field": "phone"}, format="json")
        assert response.status_code == 200
        assert response.json()["value"] == person.phone
        log = PersonalDataAccess.objects.get(person=person)
        assert (log.actor, log.field) == (users["community_office"], "phone")

    def test_a_firm_sees_people_masked_but_may_not_reveal(self, as_user):
        client = as_user("firm_staff")
        row = client.get("/api/v1/people/").json()["results"][0]
        response = client.post(f"/api/v1/people/{row['id']}/reveal/", {"field": "phone"}, format="json")
        assert response.status_code == 403
        assert not PersonalDataAccess.objects.exists()

    def test_revealing_an_unknown_field_is_a_400(self, as_user):
        client = as_user("community_office")
        row = client.get("/api/v1/people/").json()["results"][0]
        response = client.post(f"/api/v1/people/{row['id']}/reveal/", {"field": "name"}, format="json")
        assert response.status_code == 400
        assert "field" in response.json()


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_the_broker_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


@pytest.mark.django_db
def test_the_openapi_schema_lists_the_routes(as_user):
    response = as_user("district_org").get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for route in ("compounds", "streets", "households", "me", "auth/token"):
        assert any(p.startswith(f"/api/v1/{route}/") for p in paths), route


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_has_no_warnings(tmp_path):
    """drf-spectacular's warnings are also system checks that fail `check --deploy` in CI: keep them at zero."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")
