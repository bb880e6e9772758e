"""An anonymous reporter stays anonymous to those below the community: in the detail, the timeline and the
admin (findings of the scope review)."""

import pytest

from petitions.models import Petition


@pytest.fixture
def anonymous_petition(submit):
    return submit(code="repair", actor="resident", anonymous=True)


def _routed_to(petition: Petition) -> str:
    return {"firm": "firm_staff", "committee": "committee_member"}.get(petition.handler_kind, "commissioner")


@pytest.mark.django_db
def test_the_timeline_does_not_name_an_anonymous_reporter_to_the_commissioner(as_user, users, anonymous_petition):
    body = as_user("commissioner").get(f"/api/v1/petitions/{anonymous_petition.pk}/").json()
    names = {event["actor"] for event in body["timeline"]}
    reporter = users["resident"].person.name
    assert reporter not in names
    assert body["reporter"]["name"] != reporter


@pytest.mark.django_db
def test_the_community_office_still_sees_who_it_is(as_user, users, anonymous_petition):
    body = as_user("community_office").get(f"/api/v1/petitions/{anonymous_petition.pk}/").json()
    assert users["resident"].person.name in {event["actor"] for event in body["timeline"]}


@pytest.mark.django_db
def test_the_admin_page_does_not_name_an_anonymous_reporter(client, users, anonymous_petition):
    client.force_login(users["commissioner"])
    response = client.get(f"/admin/petitions/petition/{anonymous_petition.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert users["resident"].person.name not in page
    assert f"/admin/auth/user/{users['resident'].pk}/" not in page
