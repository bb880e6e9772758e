"""An id the user may not see gets the same answer, status and body, as an id that does not exist (issue 13):
the petition's building, the admin's pages of models outside the scoped admin, work requests."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from communities.models import Building, Community, Department, RoleAssignment
from petitions.models import Category

UNKNOWN = 999_999_999


def _same(a, b):
    assert a.status_code == b.status_code, (a.status_code, b.status_code)
    assert a.content == b.content


@pytest.mark.django_db
class TestPetitionBuilding:
    def _post(self, client, category, building):
        return client.post("/api/v1/petitions/", {
            "category": category.pk, "description": "楼道灯不亮", "building": building}, format="json")

    def test_a_building_elsewhere_answers_as_an_unknown_one(self, as_user, users):
        client = as_user("resident_2")
        own = users["resident_2"].person.residencies.get().household
        category = Category.objects.filter(district_id=own.district_id).first()
        other_compound = Building.objects.filter(district_id=own.district_id).exclude(compound_id=own.compound_id)
        other_district = Building.objects.exclude(district_id=own.district_id)
        unknown = self._post(client, category, UNKNOWN)
        assert unknown.status_code == 400
        assert "building" in unknown.json()
        _same(self._post(client, category, other_compound.first().pk), unknown)
        _same(self._post(client, category, other_district.first().pk), unknown)

    def test_a_building_of_the_own_compound_is_taken(self, as_user, users):
        own = users["resident_2"].person.residencies.get().household
        category = Category.objects.filter(district_id=own.district_id).first()
        building = Building.objects.filter(compound_id=own.compound_id).first()
        response = self._post(as_user("resident_2"), category, building.pk)
        assert response.status_code == 201, response.content


@pytest.mark.django_db
class TestAdminOutsideTheScopedAdmin:
    @pytest.mark.parametrize("login", ["district_center", "street_office", "commissioner"])
    @pytest.mark.parametrize("page", ["change", "delete", "history"])
    def test_an_existing_account_answers_as_an_unknown_one(self, client, users, login, page):
        client.force_login(users[login])
        existing = client.get(f"/admin/auth/user/{users['resident'].pk}/{page}/")
        unknown = client.get(f"/admin/auth/user/{UNKNOWN}/{page}/")
        assert existing.status_code == 404
        _same(existing, unknown)

    @pytest.mark.parametrize("url", ["/admin/authtoken/tokenproxy/{pk}/change/", "/admin/axes/accessattempt/{pk}/change/",
                                     "/admin/axes/accesslog/{pk}/change/", "/admin/axes/accessfailurelog/{pk}/change/"])
    def test_tokens_and_login_logs_answer_the_same_for_any_id(self, client, users, url):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        token = Token.objects.get_or_create(user=users["resident"])[0]
        ids = {"tokenproxy": token.user_id}
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            row = model.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", path_info="/",
                                       **({"failures_since_start": 1} if model is AccessAttempt else {}))
            ids[model._meta.model_name] = row.pk
        existing_id = next(v for k, v in ids.items() if f"/{k}/" in url)
        client.force_login(users["district_center"])
        existing = client.get(url.format(pk=existing_id))
        unknown = client.get(url.format(pk=UNKNOWN))
        assert existing.status_code == 404
        _same(existing, unknown)

    def test_the_platform_admin_still_opens_accounts(self, client, users):
        client.force_login(get_user_model().objects.get(username="admin"))
        assert client.get(f"/admin/auth/user/{users['resident'].pk}/change/").status_code == 200


@pytest.mark.django_db
class TestWorkRequests:
    def _post(self, client, department, community):
        return client.post("/api/v1/governance/work-requests/", {
            "department": department, "community": community, "title": "入户开展问卷调查"}, format="json")

    def test_someone_outside_the_department_learns_nothing_of_communities(self, as_user, users):
        department = Department.objects.get(pk=RoleAssignment.objects.get(user=users["department_staff"]).department_id)
        existing = Community.objects.filter(district_id=department.district_id).first()
        client = as_user("street_office")
        unknown = self._post(client, department.pk, UNKNOWN)
        assert unknown.status_code == 400
        _same(self._post(client, department.pk, existing.pk), unknown)
        _same(self._post(client, UNKNOWN, existing.pk), unknown)

    def test_a_community_of_another_district_answers_as_an_unknown_one(self, as_user, users):
        department = Department.objects.get(pk=RoleAssignment.objects.get(user=users["department_staff"]).department_id)
        elsewhere = Community.objects.exclude(district_id=department.district_id).first()
        client = as_user("department_staff")
        _same(self._post(client, department.pk, elsewhere.pk), self._post(client, department.pk, UNKNOWN))
