"""The OpenAPI schema tells the truth about the answers (issue 13: the ten places schemathesis found). The whole
API is also fuzzed against the schema by scripts/schemathesis.sh in CI."""

import pytest

from governance.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _response(schema, path, method="get", code="200"):
    content = schema["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]
    if "$ref" in content:
        return schema["components"]["schemas"][content["$ref"].rsplit("/", 1)[1]]
    return content


def test_an_events_department_name_may_be_null(schema):
    assert schema["components"]["schemas"]["Event"]["properties"]["department_name"]["nullable"] is True


@pytest.mark.parametrize("path,method,code", [
    ("/api/v1/governance/meetings/{id}/council/", "get", "200"),
    ("/api/v1/governance/meetings/{id}/council/", "post", "201"),
    ("/api/v1/petitions/{id}/duplicates/", "get", "200"),
    ("/api/v1/governance/cross-appointments/per-node/", "get", "200"),
    ("/api/v1/governance/targets/progress/", "get", "200"),
    ("/api/v1/governance/votes/{id}/not-voted/", "get", "200"),
])
def test_plain_lists_are_declared_as_plain_lists(schema, path, method, code):
    assert _response(schema, path, method, code)["type"] == "array"


def test_every_operation_documents_its_refusals(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "403", "404"} <= codes, (method, path)
            if path != "/api/v1/auth/token/":
                assert "401" in codes, (method, path)
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_page_and_page_size_are_bounded_in_the_schema(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/compounds/"]["get"]["parameters"]}
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 200)
    assert parameters["page"]["minimum"] == 1
    assert parameters["street"]["type"] == "integer"


def test_a_meeting_in_the_year_254_is_refused(as_user, users):
    compound = users["commissioner"].role_assignments.get().compound_id
    before = Meeting.objects.count()
    response = as_user("community_office").post("/api/v1/governance/meetings/", {
        "compound": compound, "kind": "owners_general", "title": "t", "held_at": "0254-11-08T21:55:39+08:00",
    }, format="json")
    assert response.status_code == 400
    assert "held_at" in response.json()
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("value", ["yes", "1", "True", "on", "maybe"])
def test_boolean_query_parameters_are_true_or_false(as_user, value):
    response = as_user("district_org").get("/api/v1/governance/lists/", {"is_active": value})
    assert response.status_code == 400
    assert "is_active" in response.json()
    assert as_user("district_org").get("/api/v1/governance/lists/", {"is_active": "true"}).status_code == 200


@pytest.mark.parametrize("value", [1, 0, "yes", "on"])
def test_boolean_body_fields_are_true_or_false(as_user, value):
    response = as_user("street_office").post("/api/v1/governance/work-requests/999999/decide/",
                                             {"approve": value}, format="json")
    assert response.status_code == 400
    assert "approve" in response.json()


@pytest.mark.parametrize("value", ["0.5", "1e3", "abc"])
def test_integer_filters_are_integers(as_user, value):
    for route, name in (("/api/v1/governance/evaluations/", "year"), ("/api/v1/governance/meetings/", "compound")):
        response = as_user("district_org").get(route, {name: value})
        assert response.status_code == 400, (route, value)


def test_an_id_too_large_for_bigint_in_a_filter_is_a_400(as_user):
    response = as_user("district_org").get("/api/v1/governance/meetings/", {"compound": "9" * 70})
    assert response.status_code == 400


def test_an_api_url_that_matches_no_route_answers_json(as_user):
    response = as_user("resident").get("/api/v1/petitions/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
