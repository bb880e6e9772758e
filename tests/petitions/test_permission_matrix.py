"""The petition routes × every role: exactly the rows roles.md gives the role, 404 beyond, and the actions
answer 404 (invisible), 403 (visible, not allowed) or success."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions import services
from petitions.models import Category, Petition
from tests.conftest import ROLE_LOGINS
from tests.petitions.oracle import expected_petitions


def _all_ids(client, url="/api/v1/petitions/?page_size=200"):
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        ids += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    assert len(ids) == len(set(ids)), "a row is listed twice"
    return set(ids)


@pytest.mark.django_db
@pytest.mark.parametrize("login", [*ROLE_LOGINS, "admin"])
def test_role_sees_exactly_its_petitions(as_user, users, login):
    client = as_user(login)
    want = expected_petitions(users[login])
    assert _all_ids(client) == want
    assert client.get("/api/v1/petitions/").json()["count"] == len(want)
    outside = Petition.objects.exclude(pk__in=want).order_by("pk").first()
    if login != "admin":
        assert outside is not None
        assert client.get(f"/api/v1/petitions/{outside.pk}/").status_code == 404
        assert client.post(f"/api/v1/petitions/{outside.pk}/accept/", {}, format="json").status_code == 404
    if want:
        assert client.get(f"/api/v1/petitions/{min(want)}/").status_code == 200


@pytest.mark.django_db
def test_the_matrix_separates_the_logins(users):
    got = {login: expected_petitions(users[login]) for login in ROLE_LOGINS}
    for login in ROLE_LOGINS:
        assert got[login], f"the demo gives {login} no petitions to see"
    assert not got["street_office"] & got["street_office_2"]
    assert not got["district_org"] & got["district_org_b"]
    assert got["committee_member"] < got["commissioner"]
    assert got["firm_staff"] != got["commissioner"]


@pytest.mark.django_db
@pytest.mark.parametrize("login", [*ROLE_LOGINS, "admin"])
def test_categories_are_those_of_the_users_districts(as_user, users, login):
    from communities.scope import scope_for

    rows = as_user(login).get("/api/v1/petitions/categories/").json()
    assert {r["id"] for r in rows} == set(
        Category.objects.filter(district_id__in=scope_for(users[login]).tenants).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["", "categories/"])
def test_anonymous_gets_401(api, route):
    assert api.get(f"/api/v1/petitions/{route}").status_code == 401


# A petition of the demo compound routed to the firm, at compound level: who may accept it.
ACCEPT = {
    "firm_staff": 200, "admin": 200,
    "district_org": 403, "district_center": 403, "street_office": 403, "community_office": 403,
    "commissioner": 403, "resident": 403,
    "committee_member": 404, "department_staff": 404, "street_office_2": 404, "resident_2": 404,
    "district_org_b": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize("login,code", ACCEPT.items())
def test_accept_at_compound_level(as_user, submit, login, code):
    petition = submit()
    assert as_user(login).post(f"/api/v1/petitions/{petition.pk}/accept/", {}, format="json").status_code == code


# The same petition escalated: the office of each level may act; below and beside it may not.
@pytest.mark.django_db
@pytest.mark.parametrize("level,login,code", [
    ("community", "community_office", 200), ("community", "street_office", 403),
    ("street", "street_office", 200), ("street", "community_office", 403), ("street", "district_center", 403),
    ("district", "district_center", 200), ("district", "street_office", 403), ("district", "district_org", 403),
    ("district", "firm_staff", 200),
])
def test_accept_by_level(as_user, submit, level, login, code):
    petition = submit()
    Petition.objects.filter(pk=petition.pk).update(level=level)
    assert as_user(login).post(f"/api/v1/petitions/{petition.pk}/accept/", {}, format="json").status_code == code


ACTIONS = [
    ("reply", {"text": "已处理"}), ("resolve", {}), ("reject", {"reason": "不属于受理范围"}),
    ("transfer", {"to": "community_office"}), ("whistle", {"departments": [1]}), ("rate", {"rating": 5}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("action,body", ACTIONS)
@pytest.mark.parametrize("login", ["district_org", "commissioner", "resident_2", "department_staff"])
def test_actions_refused_to_those_who_may_not(as_user, users, submit, action, body, login):
    petition = submit()
    services.petition_accept(actor=users["firm_staff"], petition=petition)
    code = as_user(login).post(f"/api/v1/petitions/{petition.pk}/{action}/", body, format="json").status_code
    visible = petition.pk in expected_petitions(users[login])
    assert code == (403 if visible else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["district_org", "street_office", "firm_staff", "commissioner", "resident",
                                   "department_staff"])
def test_list_queries_do_not_grow_with_data(as_user, users, submit, login):
    client = as_user(login)

    def count():
        client.force_authenticate(type(users[login]).objects.get(pk=users[login].pk))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/petitions/?page_size=200").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(15):
        submit()
    after = count()
    assert after == before


# The reporter's whole phone (call back): the handler of the same petition as in ACCEPT, and the compound's
# commissioner (docs/adr/0004), logged each time.
REPORTER_PHONE = {**ACCEPT, "commissioner": 200}


@pytest.mark.django_db
@pytest.mark.parametrize("login,code", REPORTER_PHONE.items())
def test_reporter_phone_reveal(as_user, users, submit, login, code):
    from communities.models import PersonalDataAccess

    petition = submit()
    before = PersonalDataAccess.objects.count()
    response = as_user(login).post(f"/api/v1/petitions/{petition.pk}/reporter-phone/", {"reason": "回访"},
                                   format="json")
    assert response.status_code == code, response.content
    if code == 200:
        assert response.json()["phone"] == users["resident"].person.phone
        log = PersonalDataAccess.objects.order_by("-pk").first()
        assert (log.actor, log.person, log.field) == (users[login], users["resident"].person, "phone")
        assert str(petition.pk) in log.reason and "回访" in log.reason
        assert users["resident"].person.phone not in log.reason
    else:
        assert PersonalDataAccess.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("level,login,code", [
    ("compound", "firm_staff", 403),  # the handler does not see who asked to stay anonymous
    ("community", "community_office", 200),  # the office of the level does
])
def test_reporter_phone_of_an_anonymous_petition(as_user, submit, level, login, code):
    petition = submit(anonymous=True)
    Petition.objects.filter(pk=petition.pk).update(level=level)
    response = as_user(login).post(f"/api/v1/petitions/{petition.pk}/reporter-phone/", {}, format="json")
    assert response.status_code == code, response.content


# Figures per node: the offices for the nodes of their subtree, a commissioner for its compound; nobody else.
def _figure_nodes(users, demo_compound):
    from communities.models import Street
    from communities.scope import scope_for

    own_street = next(iter(scope_for(users["street_office"]).streets))
    other_street = next(iter(scope_for(users["street_office_2"]).streets))
    return {
        "district": ("district", demo_compound.district_id), "street": ("street", own_street),
        "street_2": ("street", other_street), "community": ("community", demo_compound.community_id),
        "compound": ("compound", demo_compound.pk),
        "district_b": ("district", Street.objects.exclude(district_id=demo_compound.district_id).first().district_id),
    }


FIGURES = {  # login -> the nodes it has figures of (all others 404)
    "district_org": {"district", "street", "street_2", "community", "compound"},
    "district_center": {"district", "street", "street_2", "community", "compound"},
    "street_office": {"street", "community", "compound"},
    "street_office_2": {"street_2"},
    "community_office": {"community", "compound"},
    "commissioner": {"compound"},
    "committee_member": set(), "firm_staff": set(), "department_staff": set(), "resident": set(),
    "resident_2": set(),
    "district_org_b": {"district_b"},
    "admin": {"district", "street", "street_2", "community", "compound", "district_b"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("login,allowed", FIGURES.items())
def test_figures_per_node(as_user, users, demo_compound, login, allowed):
    nodes = _figure_nodes(users, demo_compound)
    assert nodes["street"][1] == demo_compound.street_id and nodes["street_2"][1] != demo_compound.street_id
    client = as_user(login)
    for name, (level, pk) in nodes.items():
        response = client.get(f"/api/v1/petitions/figures/?node={level}&id={pk}&start=2026-01-01&end=2026-12-31")
        assert response.status_code == (200 if name in allowed else 404), (name, response.content)
        if name in allowed:
            body = response.json()
            assert (body["node"], body["id"]) == (level, pk) and body["total"] >= 0
    assert client.get("/api/v1/petitions/figures/?node=street&id=999999&start=2026-01-01&end=2026-02-01") \
        .status_code == 404


@pytest.mark.django_db
def test_figures_input_and_anonymous(as_user, api, demo_compound):
    client = as_user("district_center")
    url = f"/api/v1/petitions/figures/?node=compound&id={demo_compound.pk}"
    assert client.get(url + "&start=2026-02-01&end=2026-01-01").status_code == 400
    assert client.get(url + "&start=2024-01-01&end=2026-01-01").status_code == 400
    assert client.get("/api/v1/petitions/figures/?node=planet&id=1&start=2026-01-01&end=2026-02-01") \
        .status_code == 400
    assert api.get(url + "&start=2026-01-01&end=2026-02-01").status_code == 401


@pytest.mark.django_db
def test_figures_queries_do_not_grow_with_data(as_user, users, submit, demo_compound,
                                               django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from petitions import tasks

    client = as_user("street_office")
    today = timezone.localdate()
    url = (f"/api/v1/petitions/figures/?node=street&id={demo_compound.street_id}"
           f"&start={today.replace(day=1)}&end={today + datetime.timedelta(days=1)}")

    def count():
        client.force_authenticate(type(users["street_office"]).objects.get(pk=users["street_office"].pk))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200, response.content
        return len(ctx.captured_queries), response.json()["total"]

    def add(n):
        with django_capture_on_commit_callbacks(execute=True):  # as at commit: each change queues its recount
            for _ in range(n):
                services.petition_accept(actor=users["firm_staff"], petition=submit())
        tasks.refresh_new_figures()  # and the minute's beat counts the new petitions

    # One petition first: an empty period has no categories to name, one query fewer, whatever the day (on the
    # first of a month the period is today alone, and the demo may have nothing in it yet).
    add(1)
    before, total = count()
    add(15)
    after, total_after = count()
    assert total >= 1
    assert (after, total_after) == (before, total + 15)


@pytest.mark.django_db
# As for a resident's own report, but this petition is nobody's own: the resident does not see it at all.
@pytest.mark.parametrize("login,code", {**REPORTER_PHONE, "resident": 404}.items())
def test_a_hotline_callers_number_is_revealed_to_the_same_people_and_logged_under_the_petition(
        as_user, users, categories, demo_compound, login, code):
    """A number a caller gave on the 12345 hotline belongs to no person record: the handler calls back all the
    same, and the log names the petition instead of a person (roles.md, personal data)."""
    from communities.models import PersonalDataAccess
    from communities.policies import personal_data_access_policy

    petition = services.petition_record(
        actor=users["street_office"], compound=demo_compound, category=categories["repair"], source="hotline_12345",
        description="来电：楼道灯不亮", external_ref="12345-CB-1", reporter_name="王先生", reporter_phone="13912345678")
    detail = as_user("street_office").get(f"/api/v1/petitions/{petition.pk}/").json()
    assert detail["reporter"] == {"name": "王先生", "phone": "139****5678"}
    before = PersonalDataAccess.objects.count()
    response = as_user(login).post(f"/api/v1/petitions/{petition.pk}/reporter-phone/", {"reason": "回访"},
                                   format="json")
    assert response.status_code == code, response.content
    if code != 200:
        assert PersonalDataAccess.objects.count() == before
        return
    assert response.json() == {"phone": "13912345678"}
    log = PersonalDataAccess.objects.order_by("-pk").first()
    assert (log.actor, log.person, log.district_id, log.field) == (users[login], None, petition.district_id, "phone")
    assert str(petition.pk) in log.record and str(petition.pk) in log.reason and "回访" in log.reason
    assert "13912345678" not in log.record + log.reason
    # The district organization department reads the log of its district; another district's does not.
    assert personal_data_access_policy.visible(users["district_org"]).filter(pk=log.pk).exists()
    assert personal_data_access_policy.visible(users[login]).filter(pk=log.pk).exists()
    assert not personal_data_access_policy.visible(users["district_org_b"]).filter(pk=log.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("login,code", ACCEPT.items())
@pytest.mark.parametrize("route", ["handle/accept", "call-back"])
def test_the_admins_petition_actions_follow_the_same_rules(client, users, submit, login, code, route):
    """The admin's handling panel and call-back button (staff's doors to the same services): what the API answers
    200 is done, 403 is refused with a message and changes nothing, 404 stays 404; residents have no admin."""
    from django.urls import reverse

    from communities.models import PersonalDataAccess

    petition = submit()
    code = REPORTER_PHONE[login] if route == "call-back" else code
    client.force_login(users[login])
    name, args = ("petitions_petition_call_back", [petition.pk]) if route == "call-back" else (
        "petitions_petition_handle", [petition.pk, "accept"])
    response = client.post(reverse(f"admin:{name}", args=args))
    if not users[login].is_staff:  # the admin sends non-staff to its login page before any object is looked up
        assert response.status_code == 302 and "/login/" in response.url
    else:
        assert response.status_code == (404 if code == 404 else 302)
    petition.refresh_from_db()
    done = petition.status == "accepted" if route != "call-back" else PersonalDataAccess.objects.filter(
        actor=users[login]).exists()
    assert done == (code == 200)


RECORD_IN_ADMIN = {
    "district_center": 200, "street_office": 200, "street_office_2": 200, "community_office": 200,
    "commissioner": 200, "committee_member": 200, "firm_staff": 200, "admin": 200,
    "district_org": 403, "department_staff": 403, "district_org_b": 403,
    "resident": 302, "resident_2": 302,  # no admin: sent to its login page
}


@pytest.mark.django_db
@pytest.mark.parametrize("login,code", RECORD_IN_ADMIN.items())
def test_who_records_petitions_in_the_admin(client, users, login, code):
    """The admin's "add petition" is recording one from another channel: the recorder roles only."""
    from django.urls import reverse

    client.force_login(users[login])
    assert client.get(reverse("admin:petitions_petition_add")).status_code == code


MERGE_IN_ADMIN = {
    "commissioner": "merged", "firm_staff": "merged", "admin": "merged",
    "district_org": "refused", "district_center": "refused", "street_office": "refused", "community_office": "refused",
    "street_office_2": 404, "committee_member": 404, "department_staff": 404, "district_org_b": 404,
    "resident": "login", "resident_2": "login",
}


@pytest.mark.django_db
@pytest.mark.parametrize("login,outcome", MERGE_IN_ADMIN.items())
def test_who_merges_a_duplicate_in_the_admin(client, users, submit, login, outcome):
    from django.urls import reverse

    original, duplicate = submit(description="电梯停运"), submit(description="电梯又停了")
    client.force_login(users[login])
    response = client.post(reverse("admin:petitions_petition_handle", args=[duplicate.pk, "merge"]),
                           {"merge-original": original.pk})
    duplicate.refresh_from_db()
    if outcome == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and ("/login/" in response.url) == (outcome == "login")
    assert (duplicate.duplicate_of_id == original.pk) == (outcome == "merged")


RECORD_POST_IN_ADMIN = {
    "district_center": "recorded", "street_office": "recorded", "community_office": "recorded",
    "commissioner": "recorded", "committee_member": "recorded", "firm_staff": "recorded", "admin": "recorded",
    "street_office_2": "form error",  # the demo compound is not among its choices
    "district_org": 403, "department_staff": 403, "district_org_b": 403,
    "resident": "login", "resident_2": "login",
}


@pytest.mark.django_db
@pytest.mark.parametrize("login,outcome", RECORD_POST_IN_ADMIN.items())
def test_who_records_the_demo_compounds_walk_in_in_the_admin(client, users, categories, demo_compound, login,
                                                            outcome):
    from django.urls import reverse

    client.force_login(users[login])
    response = client.post(reverse("admin:petitions_petition_add"), {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "source": "walk_in",
        "description": "矩阵：楼顶漏水", "not_a_duplicate": "on"})
    recorded = Petition.objects.filter(description="矩阵：楼顶漏水").exists()
    assert recorded == (outcome == "recorded")
    if outcome == "login":
        assert response.status_code == 302 and "/login/" in response.url
    elif outcome == "form error":
        assert response.status_code == 200 and "compound" in response.context["form"].errors
    elif outcome == 403:
        assert response.status_code == 403
    else:
        assert response.status_code == 302


# The commissioner's follow-up (docs/adr/0006): the same petition as in ACCEPT. Only the compound's commissioner
# (and the platform admin) may urge, note or escalate; the others who see it get 403, the rest 404. The API's
# `actions` offers each exactly to those it answers 200.
FOLLOW_UP = {
    "commissioner": 200, "admin": 200,
    "district_org": 403, "district_center": 403, "street_office": 403, "community_office": 403,
    "firm_staff": 403, "resident": 403,
    "committee_member": 404, "department_staff": 404, "street_office_2": 404, "resident_2": 404,
    "district_org_b": 404,
}
FOLLOW_UP_ACTIONS = [("urge", {"note": "请尽快处理"}), ("note", {"note": "已上门查看"}),
                     ("escalate", {"reason": "物业三天未处理"})]


@pytest.mark.django_db
@pytest.mark.parametrize("action,body", FOLLOW_UP_ACTIONS)
@pytest.mark.parametrize("login,code", FOLLOW_UP.items())
def test_commissioner_follow_up(as_user, submit, login, code, action, body):
    petition = submit()
    client = as_user(login)
    detail = client.get(f"/api/v1/petitions/{petition.pk}/")
    offered = detail.status_code == 200 and action in detail.json()["actions"]
    response = client.post(f"/api/v1/petitions/{petition.pk}/{action}/", body, format="json")
    assert response.status_code == code, response.content
    assert offered == (code == 200)


# The photo of a resident's petition routed to the firm in the demo compound, and its thumbnail (/attachments/):
# exactly those who see the petition get it; beyond, and for an unknown photo, 404; an anonymous visitor logs in.
PHOTO = {
    "firm_staff": 200, "admin": 200, "district_org": 200, "district_center": 200, "street_office": 200,
    "community_office": 200, "commissioner": 200, "resident": 200,
    "committee_member": 404, "department_staff": 404, "street_office_2": 404, "resident_2": 404,
    "district_org_b": 404, "anonymous": 302,
}


@pytest.mark.django_db
@pytest.mark.parametrize("login,code", PHOTO.items())
def test_who_gets_a_petitions_photo(client, users, submit, login, code):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="JPEG")
    petition = submit(photos=[SimpleUploadedFile("p.jpg", buffer.getvalue())])
    photo = petition.attachments.get()
    assert code == 302 or (code == 200) == (petition.pk in expected_petitions(users[login]))
    if login != "anonymous":
        client.force_login(users[login])
    for name in ("petition-attachment", "petition-attachment-thumbnail"):
        assert client.get(reverse(name, args=[photo.pk])).status_code == code, name
        if login != "anonymous":
            assert client.get(reverse(name, args=[photo.pk + 10_000])).status_code == 404  # unknown: the same
