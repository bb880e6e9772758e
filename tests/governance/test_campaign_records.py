"""The campaign rows measured from the street offices and the campaign's records (rows 1, 2, 15–22 and the split
rows 24, 25): each measure against a count made by hand in a fresh street of the demo district, the street's own
rows counted only for callers who see the street whole, counting targets held against their number, and bad
input answered with field messages through the API and the admin."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from communities.models import Community, Compound, District, Role, RoleAssignment, Street
from governance import selectors
from governance.models import CampaignRecord, CampaignTarget, StreetOffice, StreetOfficeStaff
from tests.conftest import ROLE_LOGINS

pytestmark = pytest.mark.django_db
M = CampaignTarget.Measure
K = CampaignRecord.Kind
Post = StreetOfficeStaff.Post
TODAY = datetime.date(2026, 6, 15)
IN_WINDOW, LAST_YEAR = datetime.date(2026, 3, 1), datetime.date(2025, 11, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _district():
    return District.objects.order_by("pk").first()


@pytest.fixture
def place():
    """A new street of the demo district with two communities, the first with two compounds."""
    district = _district()
    street = Street.objects.create(district=district, name="Hand-count street")
    first = Community.objects.create(district=district, street=street, name="Hand 1")
    second = Community.objects.create(district=district, street=street, name="Hand 2")
    compounds = [Compound.objects.create(community=first, name=f"Hand {i}") for i in range(2)]
    return street, first, second, compounds


def _asked(**kwargs):
    values = {"district_id": _district().pk, "starts_on": None, "deadline": datetime.date(2026, 12, 31),
              "today": TODAY, **kwargs}
    return selectors.MeasureAsked(**values)


def _row(measure, node, **asked):
    return selectors.MEASURES[measure].rows(_asked(**asked)).get(node.pk, (0, 0))


def _street_row(measure, street, **asked):
    return selectors.MEASURES[measure].street_rows(_asked(**asked)).get(street.pk, (0, 0))


def _record(kind, on=IN_WINDOW, **fields):
    record = CampaignRecord(kind=kind, on=on, **{"title": f"{kind} by hand", **fields})
    record.save()
    return record


def _target(measure, value, number=99):
    return CampaignTarget(district=_district(), number=number, task="t", measure=measure, target_value=Decimal(value),
                          lead_units="a", responsible_units="b", deadline=datetime.date(2026, 12, 31))


def _holder(username, role, **node):
    user = get_user_model().objects.create_user(username)
    RoleAssignment.objects.create(user=user, role=role, district=_district(), **node)
    return user


# --- each measure by hand ----------------------------------------------------------------------------------------

def test_a_street_office_is_set_up_with_venue_funding_people_and_a_joint_meeting(place):
    street, *_rest = place
    assert _street_row(M.STREET_OFFICES_SET_UP, street) == (0, 1)
    office = StreetOffice.objects.create(street=street, set_up_on=datetime.date(2026, 2, 1), venue="三楼",
                                         yearly_funding=Decimal("100000"))
    StreetOfficeStaff.objects.create(office=office, name="甲", post=Post.STAFF)
    # no joint meeting yet, then one last year only: not set up in the campaign's sense
    assert _street_row(M.STREET_OFFICES_SET_UP, street) == (0, 1)
    _record(K.JOINT_MEETING, on=LAST_YEAR, street=street)
    assert _street_row(M.STREET_OFFICES_SET_UP, street) == (0, 1)
    _record(K.JOINT_MEETING, street=street)
    assert _street_row(M.STREET_OFFICES_SET_UP, street) == (1, 1)
    # without a venue or without funding it is not set up
    StreetOffice.objects.filter(pk=office.pk).update(venue="")
    assert _street_row(M.STREET_OFFICES_SET_UP, street) == (0, 1)
    StreetOffice.objects.filter(pk=office.pk).update(venue="三楼", yearly_funding=0)
    assert _street_row(M.STREET_OFFICES_SET_UP, street) == (0, 1)
    # the measure has no community rows: the street's figure is its own
    assert selectors.MEASURES[M.STREET_OFFICES_SET_UP].rows is None


def test_a_street_office_is_staffed_by_the_deputy_secretary_a_cadre_and_two_staff(place):
    street, *_rest = place
    office = StreetOffice.objects.create(street=street, set_up_on=datetime.date(2026, 2, 1))
    director = StreetOfficeStaff.objects.create(office=office, name="主任", post=Post.DIRECTOR)
    StreetOfficeStaff.objects.create(office=office, name="干部", post=Post.CADRE)
    StreetOfficeStaff.objects.create(office=office, name="甲", post=Post.STAFF)
    assert _street_row(M.STREET_OFFICES_STAFFED, street) == (0, 1)  # one staff member, director not deputy
    StreetOfficeStaff.objects.create(office=office, name="乙", post=Post.STAFF)
    assert _street_row(M.STREET_OFFICES_STAFFED, street) == (0, 1)  # the director is not the deputy secretary
    StreetOfficeStaff.objects.filter(pk=director.pk).update(is_deputy_secretary=True)
    assert _street_row(M.STREET_OFFICES_STAFFED, street) == (1, 1)


def test_onboarding_training_counts_post_holders_in_their_community_and_street(place):
    street, first, second, (a, _b) = place
    office = _holder("hand-office", Role.COMMUNITY_OFFICE, community=first)
    commissioner = _holder("hand-commissioner", Role.COMMISSIONER, compound=a)
    _holder("hand-member", Role.COMMITTEE_MEMBER, compound=a)
    street_staff = _holder("hand-street", Role.STREET_OFFICE, street=street)
    _holder("hand-street-2", Role.STREET_OFFICE, street=street)
    _record(K.TRAINING, community=first, person=office)
    _record(K.TRAINING, on=LAST_YEAR, community=first, person=commissioner)  # before the campaign
    _record(K.TRAINING, street=street, person=street_staff)
    assert _row(M.ONBOARDING_TRAINING, first) == (1, 3)
    assert _row(M.ONBOARDING_TRAINING, second) == (0, 0)
    assert _street_row(M.ONBOARDING_TRAINING, street) == (1, 2)
    # a campaign that started in 2025 counts last November's training
    assert _row(M.ONBOARDING_TRAINING, first, starts_on=datetime.date(2025, 1, 1)) == (2, 3)


@pytest.mark.parametrize("measure,kind,amount", [
    (M.ENFORCEMENT_IN_COMMUNITIES, K.ENFORCEMENT, None),
    (M.CO_BUILDING_PROJECTS, K.CO_BUILDING_PROJECT, None),
    (M.MICRO_PROJECTS_FUNDED, K.MICRO_PROJECT, Decimal("50000")),
    (M.SERVICE_FUNDS_GRANTED, K.SERVICE_FUND, Decimal("200000")),
])
def test_communities_with_a_record_of_the_kind_in_the_campaign(place, measure, kind, amount):
    _street, first, second, _compounds = place
    _record(kind, community=first, amount=amount)
    _record(kind, community=second, amount=amount, on=LAST_YEAR)
    _record(kind, community=second, amount=amount, on=datetime.date(2026, 7, 1))  # after the measuring day
    assert _row(measure, first) == (1, 1)
    assert _row(measure, second) == (0, 1)


def test_a_community_counts_once_it_has_18_social_organizations(place):
    _street, first, second, _compounds = place
    for i in range(17):
        _record(K.SOCIAL_ORGANIZATION, on=LAST_YEAR, community=first, title=str(i))
    assert _row(M.SOCIAL_ORGANIZATIONS, first) == (0, 1)
    _record(K.SOCIAL_ORGANIZATION, community=first)
    assert _row(M.SOCIAL_ORGANIZATIONS, first) == (1, 1)  # the register counts whenever registered
    assert _row(M.SOCIAL_ORGANIZATIONS, second) == (0, 1)


def test_counting_targets_are_held_against_their_number(place):
    _street, first, second, (a, b) = place
    _record(K.DEMONSTRATION_COMPOUND, compound=a)
    _record(K.DEMONSTRATION_COMPOUND, compound=b)
    _record(K.DEMONSTRATION_COMPOUND, compound=b, on=LAST_YEAR)
    _record(K.BEAUTIFUL_HOME, compound=a)
    assert _row(M.DEMONSTRATION_COMPOUNDS, first) == (2, 0)
    assert _row(M.BEAUTIFUL_HOMES, first) == (1, 0)
    communities = Community.objects.filter(pk__in=[first.pk, second.pk])
    two = selectors.targets_progress([_target(M.DEMONSTRATION_COMPOUNDS, "2")], communities, today=TODAY)[0]
    assert two["kind"] == "count"
    assert two["overall"] == {"hit": 2, "total": None, "value": "2", "reached": True}
    street = two["streets"][0]
    assert (street["hit"], street["reached"]) == (2, None)  # no number of the street's own to reach
    three = selectors.targets_progress([_target(M.DEMONSTRATION_COMPOUNDS, "3")], communities, today=TODAY)[0]
    assert three["overall"]["reached"] is False


def test_the_street_s_own_rows_count_only_for_callers_who_see_the_street_whole(place):
    street, first, second, _compounds = place
    office = StreetOffice.objects.create(street=street, set_up_on=datetime.date(2026, 2, 1), venue="三楼",
                                         yearly_funding=Decimal("1"))
    StreetOfficeStaff.objects.create(office=office, name="甲", post=Post.STAFF)
    _record(K.JOINT_MEETING, street=street)
    target = _target(M.STREET_OFFICES_SET_UP, "1")
    whole = selectors.targets_progress([target], Community.objects.filter(street=street), today=TODAY)[0]
    assert whole["overall"] == {"hit": 1, "total": 1, "value": "1.0000", "reached": True}
    assert whole["streets"][0]["communities"] == []  # a street's office is no community's
    part = selectors.targets_progress([target], Community.objects.filter(pk=first.pk), today=TODAY)[0]
    assert part["overall"] == {"hit": 0, "total": 0, "value": None, "reached": None}


def test_the_demo_shows_every_row_measured_some_reached_and_some_not(as_user):
    rows = as_user("district_org").get("/api/v1/governance/targets/progress/").json()
    assert len(rows) == 25 and all(r["overall"] is not None for r in rows)
    by_number = {r["number"]: r for r in rows}
    new_rows = [by_number[n] for n in (1, 2, *range(15, 23), 24, 25)]
    reached = [r["overall"]["reached"] for r in new_rows]
    assert True in reached and False in reached
    assert by_number[21]["kind"] == "count" and by_number[21]["overall"]["reached"] is True
    # a street office sees its own street's office figure; the community office does not see the street's
    street = {r["number"]: r for r in as_user("street_office").get("/api/v1/governance/targets/progress/").json()}
    assert street[2]["overall"]["total"] == 1
    community = as_user("community_office").get("/api/v1/governance/targets/progress/").json()
    assert {r["number"]: r for r in community}[2]["overall"]["total"] == 0


def test_the_dashboard_shows_each_new_measure_s_definition_and_a_count_s_progress(client, users):
    client.force_login(users["district_org"])
    district = _district()
    with translation.override("en"):
        page = client.get(f"/dashboards/district/{district.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        definitions = [str(selectors.MEASURES[m].definition) for m in (M.STREET_OFFICES_STAFFED, M.POST_STATIONS)]
    assert page.status_code == 200
    html = page.content.decode()
    from django.utils.html import escape

    for definition in definitions:
        assert escape(definition) in html
    assert "4 / 4" in html  # four post stations of four


# --- targets: shares and counts -----------------------------------------------------------------------------------

def test_a_counting_target_takes_a_whole_number_and_a_share_a_value_up_to_one():
    with pytest.raises(ValidationError) as refused:
        _target(M.POST_STATIONS, "0.5").full_clean()
    assert "target_value" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _target(M.POST_STATIONS, "4.5").full_clean()
    assert "target_value" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _target(M.SOCIAL_ORGANIZATIONS, "18").full_clean()
    assert "target_value" in refused.value.message_dict
    _target(M.POST_STATIONS, "4").full_clean()
    _target(M.SOCIAL_ORGANIZATIONS, "1").full_clean()


def test_the_database_refuses_a_count_that_is_not_whole(db):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        _target(M.POST_STATIONS, "4.5").save()
    with transaction.atomic(), pytest.raises(IntegrityError):
        _target(M.SOCIAL_ORGANIZATIONS, "2").save()


# --- records through the API: scope and field errors ---------------------------------------------------------------

URL = "/api/v1/governance/campaign-records/"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def _community_of(users, login="community_office"):
    return RoleAssignment.objects.get(user=users[login]).community


def test_a_community_office_records_a_micro_project_with_its_evidence(users, as_user, client):
    community = _community_of(users)
    answer = as_user("community_office").post(URL, {
        "kind": K.MICRO_PROJECT, "title": "充电车棚", "on": "2026-05-01", "community": community.pk,
        "amount": "30000.00", "evidence": SimpleUploadedFile("发票.png", _png())}, format="multipart")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["street"], body["district"]) == (community.street_id, community.district_id)
    record = CampaignRecord.objects.get(pk=body["id"])
    assert (record.evidence_type, record.recorded_by) == ("image/png", users["community_office"])
    # the evidence opens for those who see the record, and is 404 to the others
    for login, status in (("community_office", 200), ("district_org", 200), ("street_office", 200),
                          ("street_office_2", 404), ("commissioner", 404), ("district_org_b", 404)):
        client.force_login(users[login])
        assert client.get(body["evidence_url"]).status_code == status, login
    client.logout()
    assert client.get(body["evidence_url"]).status_code == 302  # to the login page


@pytest.mark.parametrize("change,field", [
    ({"amount": None}, "amount"),  # a micro-project without its amount
    ({"amount": "0"}, "amount"),
    ({"kind": K.ENFORCEMENT}, "amount"),  # an amount on a kind without money
    ({"kind": "party"}, "kind"),
    ({"on": "2026-13-01"}, "on"),
    ({"on": "0254-01-01"}, "on"),
    ({"title": ""}, "title"),
    ({"community": None}, "community"),
    ({"community": 10 ** 12}, "community"),
    ({"kind": K.JOINT_MEETING, "amount": None}, "community"),  # a street's meeting is not a community's
    ({"kind": K.BEAUTIFUL_HOME, "amount": None}, "compound"),  # an honour names its compound
    ({"kind": K.TRAINING, "amount": None}, "person"),  # a training names its trainee
    ({"evidence": "not a file"}, "evidence"),
])
def test_bad_records_are_400_with_the_field(users, as_user, change, field):
    community = _community_of(users)
    data = {"kind": K.MICRO_PROJECT, "title": "x", "on": "2026-05-01", "community": community.pk,
            "amount": "100.00", **change}
    data = {k: v for k, v in data.items() if v is not None}
    answer = as_user("community_office").post(URL, data, format="multipart")
    assert answer.status_code == 400 and field in answer.json(), answer.content


def test_evidence_is_checked_like_a_contract_s_document(users, as_user):
    community = _community_of(users)
    for upload in (SimpleUploadedFile("照片.pdf", _png()), SimpleUploadedFile("a.png", b"MZ\x90\x00 nope")):
        answer = as_user("community_office").post(URL, {
            "kind": K.ENFORCEMENT, "title": "x", "on": "2026-05-01", "community": community.pk,
            "evidence": upload}, format="multipart")
        assert answer.status_code == 400 and "evidence" in answer.json(), answer.content


def test_places_and_people_outside_the_scope_are_refused(users, as_user):
    other = Community.objects.filter(district=_district()).exclude(
        pk=_community_of(users).pk).order_by("pk").first()
    client = as_user("community_office")
    answer = client.post(URL, {"kind": K.ENFORCEMENT, "title": "x", "on": "2026-05-01", "community": other.pk},
                         format="json")
    assert answer.status_code == 400 and "community" in answer.json()
    # a trainee who holds no post in the community, and a model commissioner who is no commissioner
    for login, kind in (("street_office_2", K.TRAINING), ("community_office", K.MODEL_COMMISSIONER)):
        answer = client.post(URL, {"kind": kind, "title": "x", "on": "2026-05-01",
                                   "community": _community_of(users).pk, "person": users[login].pk},
                             format="json")
        assert answer.status_code == 400 and "person" in answer.json(), (login, answer.content)
    # a commissioner of the community is a model commissioner the community office may name
    answer = client.post(URL, {"kind": K.MODEL_COMMISSIONER, "title": "老娘舅", "on": "2026-05-01",
                               "community": _community_of(users).pk, "person": users["commissioner"].pk},
                         format="json")
    assert answer.status_code == 201, answer.content


@pytest.mark.parametrize("login", ["commissioner", "firm_staff", "department_staff", "resident", "district_center"])
def test_only_the_offices_that_keep_records_may_add_them(users, as_user, login):
    answer = as_user(login).post(URL, {"kind": K.ENFORCEMENT, "title": "x", "on": "2026-05-01",
                                       "community": _community_of(users).pk}, format="json")
    assert answer.status_code in (400, 403, 404)
    assert not CampaignRecord.objects.filter(title="x").exists()


def test_a_street_office_records_its_joint_meeting_and_the_community_office_cannot(users, as_user):
    street = RoleAssignment.objects.get(user=users["street_office"]).street
    data = {"kind": K.JOINT_MEETING, "title": "联席会议", "on": "2026-05-01", "street": street.pk}
    assert as_user("street_office").post(URL, data, format="json").status_code == 201
    # the street lies above the community office: it may not record there (a 403, or a 400 naming the street
    # where it does not even see it)
    refused = as_user("community_office").post(URL, data, format="json")
    assert refused.status_code in (400, 403)
    assert CampaignRecord.objects.filter(title="联席会议").count() == 1


# --- the admin: scoped choices and field errors -------------------------------------------------------------------

def test_the_admin_offers_only_post_holders_of_the_scope_and_shows_field_errors(client, users):
    client.force_login(users["community_office"])
    page = client.get("/admin/governance/campaignrecord/add/")
    assert page.status_code == 200
    offered = {u.pk for u in page.context["adminform"].form.fields["person"].queryset}
    assert users["commissioner"].pk in offered and users["street_office_2"].pk not in offered
    assert users["district_org_b"].pk not in offered
    answer = client.post("/admin/governance/campaignrecord/add/", {
        "kind": K.MICRO_PROJECT, "title": "x", "on": "2026-05-01", "community": _community_of(users).pk,
        "evidence": SimpleUploadedFile("a.pdf", _png())})
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert "amount" in errors and "evidence" in errors
    answer = client.post("/admin/governance/campaignrecord/add/", {
        "kind": K.MICRO_PROJECT, "title": "车棚", "on": "2026-05-01", "community": _community_of(users).pk,
        "amount": "100.00"})
    assert answer.status_code == 302
    assert CampaignRecord.objects.get(title="车棚").recorded_by == users["community_office"]


def test_a_street_office_keeps_its_own_office_and_not_the_other_street_s(client, users):
    mine = StreetOffice.objects.get(street=RoleAssignment.objects.get(user=users["street_office"]).street)
    theirs = StreetOffice.objects.get(street=RoleAssignment.objects.get(user=users["street_office_2"]).street)
    client.force_login(users["street_office"])
    assert client.get(f"/admin/governance/streetoffice/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/governance/streetoffice/{theirs.pk}/change/").status_code == 404
    answer = client.post(f"/admin/governance/streetoffice/{mine.pk}/change/", {
        "set_up_on": "2026-02-01", "venue": "新址", "yearly_funding": "-1",
        "staff-TOTAL_FORMS": "0", "staff-INITIAL_FORMS": "0"})
    assert answer.status_code == 200 and "yearly_funding" in answer.context["adminform"].form.errors
    client.force_login(users["community_office"])
    assert client.get(f"/admin/governance/streetoffice/{mine.pk}/change/").status_code == 404


def test_every_login_reads_the_new_routes_only_in_scope():
    """The routes' rows are in the permission matrix (tests/governance/test_permission_matrix.py)."""
    from tests.governance.test_permission_matrix import ROUTES

    assert {"street-offices", "campaign-records"} <= {r for r, _m in ROUTES}
    assert len(ROLE_LOGINS) >= 12
