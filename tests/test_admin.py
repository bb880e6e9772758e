"""The admin is scoped like the API: lists, counts, forms and choices."""

import pytest
from django.contrib.auth import get_user_model

from communities.models import Community, Compound, Household, Person, Street
from communities.policies import compound_policy

User = get_user_model()


@pytest.fixture
def staff_client(client, users):
    def make(username):
        client.force_login(users[username])
        return client
    return make


@pytest.mark.django_db
class TestAdminScope:
    def test_a_street_office_lists_only_its_compounds(self, staff_client, users):
        response = staff_client("street_office").get("/admin/communities/compound/")
        assert response.status_code == 200
        visible = compound_policy.visible(users["street_office"])
        assert response.context["cl"].result_count == visible.count()
        outside = Compound.objects.exclude(pk__in=visible).first()
        assert outside.name not in response.content.decode()

    def test_an_out_of_scope_object_is_not_found(self, staff_client, users):
        outside = Compound.objects.filter(district__code="gongshu").first()
        client = staff_client("street_office")
        missing = Compound.objects.order_by("-pk").first().pk + 1000
        for pk in (outside.pk, missing):  # invisible and unknown: the same 404, on every page of the object
            for page in ("change", "delete", "history"):
                response = client.get(f"/admin/communities/compound/{pk}/{page}/")
                assert response.status_code == 404, (pk, page)
                assert outside.name not in response.content.decode()

    def test_form_choices_hold_only_what_the_user_sees(self, staff_client, users):
        response = staff_client("street_office").get("/admin/communities/compound/add/")
        choices = {str(c.value) for c, _label in response.context["adminform"].form.fields["community"].choices if c}
        mine = users["street_office"].role_assignments.get().street_id
        assert choices == {str(pk) for pk in Community.objects.filter(street_id=mine).values_list("pk", flat=True)}

    def test_adding_a_compound_outside_the_scope_is_refused(self, staff_client, users):
        mine = users["community_office"].role_assignments.get().community_id
        sibling = Community.objects.filter(street__communities__pk=mine).exclude(pk=mine).first()
        response = staff_client("community_office").post("/admin/communities/compound/add/", {
            "community": sibling.pk, "name": "越权小区", "household_count": 1, "total_floor_area": "1",
            "management_mode": "professional",
        })
        assert response.status_code == 200  # the form comes back with an error
        assert not Compound.objects.filter(name="越权小区").exists()

    def test_a_change_is_recorded_with_who_made_it(self, staff_client, users):
        compound = compound_policy.visible(users["community_office"]).first()
        client = staff_client("community_office")
        response = client.post(f"/admin/communities/compound/{compound.pk}/change/", {
            "name": compound.name + "（改）", "address": compound.address, "household_count": compound.household_count,
            "total_floor_area": compound.total_floor_area, "year_built": compound.year_built or "",
            "management_mode": compound.management_mode,
        })
        assert response.status_code == 302, response.content[:2000]
        last = compound.history.first()
        assert last.history_user == users["community_office"]
        assert last.name.endswith("（改）")
        history = client.get(f"/admin/communities/compound/{compound.pk}/history/")
        assert history.status_code == 200

    def test_a_street_office_may_read_but_not_add_a_street(self, staff_client):
        client = staff_client("street_office")
        assert client.get("/admin/communities/street/").status_code == 200
        assert client.get("/admin/communities/street/add/").status_code == 403

    def test_a_resident_has_no_admin(self, staff_client):
        response = staff_client("resident").get("/admin/")
        assert response.status_code == 302

    def test_personal_numbers_are_never_rendered_in_the_person_form(self, staff_client, users):
        person = Person.objects.filter(
            residencies__household__community_id=users["community_office"].role_assignments.get().community_id
        ).first()
        page = staff_client("community_office").get(f"/admin/communities/person/{person.pk}/change/").content.decode()
        assert person.phone not in page
        assert person.phone_masked in page

    def test_saving_the_person_form_blank_keeps_the_numbers(self, staff_client, users):
        person = Person.objects.filter(
            residencies__household__community_id=users["community_office"].role_assignments.get().community_id
        ).first()
        phone = person.phone
        client = staff_client("community_office")
        response = client.post(f"/admin/communities/person/{person.pk}/change/", {
            "district": person.district_id, "community": person.community_id or "", "name": person.name,
            "phone": "", "id_card_number": "",
            "residencies-TOTAL_FORMS": 0, "residencies-INITIAL_FORMS": 0,
        })
        assert response.status_code == 302, response.content[:3000]
        assert Person.objects.get(pk=person.pk).phone == phone

    def test_user_choices_offer_no_one_from_elsewhere(self, staff_client):
        response = staff_client("community_office").get(
            "/admin/autocomplete/?app_label=communities&model_name=roleassignment&field_name=user&term=district_org"
        )
        assert response.status_code == 200
        assert response.json()["results"] == []


@pytest.mark.django_db
def test_streets_and_households_lists_are_scoped(client, users):
    client.force_login(users["community_office"])
    households = client.get("/admin/communities/household/").context["cl"].result_count
    mine = users["community_office"].role_assignments.get().community_id
    assert households == Household.objects.filter(community_id=mine).count()
    streets = client.get("/admin/communities/street/").context["cl"].result_count
    assert streets == Street.objects.filter(communities__pk=mine).count() == 1


@pytest.mark.django_db
class TestAdminPersonalData:
    """Findings of the scope review, kept as tests."""

    def _person_of(self, users, login):
        community = users["community_office"].role_assignments.get().community_id
        return Person.objects.filter(residencies__household__community_id=community).first()

    def test_a_whole_number_is_shown_by_a_posted_button_and_logged(self, staff_client, users):
        """As the petition's call-back: the reveal is a POST from the change form, never a link to follow; a
        refusal or an unknown field is a message, not a 500."""
        from communities.models import PersonalDataAccess

        person = self._person_of(users, "community_office")
        client = staff_client("community_office")
        url = f"/admin/communities/person/{person.pk}/reveal/phone/"
        page = client.get(f"/admin/communities/person/{person.pk}/change/").content.decode()
        assert url in page and 'formmethod="post"' in page and person.phone not in page
        assert client.get(url).status_code == 405 and not PersonalDataAccess.objects.exists()
        shown = client.post(url, follow=True).content.decode()
        assert person.phone in shown
        assert PersonalDataAccess.objects.get().person == person
        refused = client.post(f"/admin/communities/person/{person.pk}/reveal/password/", follow=True)
        assert refused.status_code == 200 and PersonalDataAccess.objects.count() == 1

    def test_the_changelist_refuses_lookups_on_numbers(self, staff_client, users):
        person = self._person_of(users, "firm_staff")
        client = staff_client("firm_staff")
        response = client.get(f"/admin/communities/person/?pk={person.pk}&phone__startswith={person.phone[:4]}")
        assert response.status_code == 400

    def test_list_filters_still_work(self, staff_client):
        response = staff_client("district_org").get("/admin/communities/compound/?management_mode__exact=professional")
        assert response.status_code == 200

    def test_a_read_only_person_page_shows_numbers_masked(self, staff_client, users):
        person = self._person_of(users, "firm_staff")
        page = staff_client("firm_staff").get(f"/admin/communities/person/{person.pk}/change/").content.decode()
        assert person.phone not in page and person.id_card_number not in page
        assert person.phone_masked in page

    def test_history_keeps_no_numbers(self, staff_client, users):
        person = self._person_of(users, "community_office")
        client = staff_client("community_office")
        old = person.phone
        response = client.post(f"/admin/communities/person/{person.pk}/change/", {
            "district": person.district_id, "community": person.community_id or "", "name": person.name,
            "phone": "13900001111", "id_card_number": "",
            "residencies-TOTAL_FORMS": 0, "residencies-INITIAL_FORMS": 0,
        })
        assert response.status_code == 302
        page = client.get(f"/admin/communities/person/{person.pk}/history/").content.decode()
        assert old not in page and "13900001111" not in page

    def test_an_inline_row_may_not_link_a_person_from_outside(self, staff_client, users):
        community = users["community_office"].role_assignments.get().community_id
        household = Household.objects.filter(community_id=community).first()
        stranger = Person.objects.exclude(community_id=community).exclude(
            residencies__household__community_id=community).filter(district_id=household.district_id).first()
        response = staff_client("community_office").post(f"/admin/communities/household/{household.pk}/change/", {
            "unit": household.unit, "room": household.room, "floor_area": household.floor_area,
            "residencies-TOTAL_FORMS": 1, "residencies-INITIAL_FORMS": 0,
            "residencies-0-person": stranger.pk, "residencies-0-relation": "owner",
        })
        assert response.status_code == 200  # the form comes back with the row refused
        assert not stranger.residencies.filter(household=household).exists()

    def test_list_filters_offer_only_streets_in_scope(self, staff_client, users):
        response = staff_client("commissioner").get("/admin/communities/compound/")
        assert response.status_code == 200
        page = response.content.decode()
        for street in Street.objects.exclude(pk__in=Compound.objects.filter(
                pk=users["commissioner"].role_assignments.get().compound_id).values("street_id")):
            assert f"street__id__exact={street.pk}" not in page

    def test_history_of_an_invisible_object_is_not_found(self, staff_client):
        outside = Compound.objects.filter(district__code="gongshu").first()
        assert staff_client("street_office").get(
            f"/admin/communities/compound/{outside.pk}/history/").status_code == 404

    def test_staff_may_not_open_user_accounts(self, staff_client, users):
        assert staff_client("commissioner").get(
            f"/admin/auth/user/{users['resident'].pk}/change/").status_code == 404
