"""The petition API: create from every side, filters, the detail's shape, actions, uploads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from petitions import services
from petitions.models import EscalationLevel, Petition, PetitionAttachment, Status

pytestmark = pytest.mark.django_db


def _image(fmt="JPEG", name="photo.jpg", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_resident_creates_a_petition_without_naming_the_compound(as_user, categories, demo_compound):
    response = as_user("resident").post("/api/v1/petitions/", {
        "category": categories["repair"].pk, "description": "楼道灯不亮",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["compound"] == demo_compound.pk
    assert (body["status"], body["level"], body["source"]) == ("submitted", "compound", "portal")
    assert body["handler"]["kind"] == "firm" and body["deadline"]
    detail = as_user("resident").get(f"/api/v1/petitions/{body['id']}/").json()
    assert [e["kind"] for e in detail["timeline"]] == ["created"]
    assert detail["handler"] == body["handler"] and detail["deadline"] == body["deadline"]


def test_staff_record_a_hotline_petition_once_per_reference(as_user, categories, demo_compound):
    client = as_user("street_office")
    payload = {"compound": demo_compound.pk, "category": categories["lift"].pk, "description": "电梯困人",
               "source": "hotline_12345", "external_ref": "12345-20261122-001", "reporter_phone": "13812345678"}
    first = client.post("/api/v1/petitions/", payload, format="json")
    assert first.status_code == 201, first.content
    detail = client.get(f"/api/v1/petitions/{first.json()['id']}/").json()
    assert detail["reporter"]["phone"] == "138****5678"
    again = client.post("/api/v1/petitions/", payload, format="json")
    assert again.status_code == 400 and "external_ref" in again.json()
    assert Petition.objects.filter(external_ref="12345-20261122-001").count() == 1


def test_staff_cannot_record_outside_their_scope(as_user, categories, demo_compound):
    response = as_user("street_office_2").post("/api/v1/petitions/", {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "description": "x", "source": "phone",
    }, format="json")
    assert response.status_code == 404
    response = as_user("district_org").post("/api/v1/petitions/", {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "description": "x", "source": "phone",
    }, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("login", ["street_office_2", "firm_staff", "district_org_b", "community_office"])
def test_a_compound_out_of_reach_is_a_404_whatever_else_is_wrong(as_user, users, categories, demo_compound, login):
    """The compound's place is read with the category; the scope is asked before the input is judged, so an
    invisible compound answers exactly like one that does not exist — never a 400 that would tell it apart."""
    from communities.models import Compound
    from communities.policies import compound_policy

    client = as_user(login)
    hidden = Compound.objects.exclude(pk__in=compound_policy.visible(users[login]).values("pk"))
    near = hidden.filter(district_id=demo_compound.district_id).order_by("pk").first()
    far = hidden.exclude(district_id=demo_compound.district_id).order_by("pk").first()
    missing = Compound.objects.order_by("-pk").first().pk + 1000
    for compound in {c for c in (near and near.pk, far and far.pk, missing) if c}:
        for category in (categories["repair"].pk, 999999):
            response = client.post("/api/v1/petitions/", {
                "compound": compound, "source": "phone", "category": category, "description": "不该记下"},
                format="json")
            assert response.status_code == 404, (compound, category, response.content)
    assert not Petition.objects.filter(description="不该记下").exists()


@pytest.mark.parametrize("login,field", [("resident", "category"), ("street_office", "category"),
                                         ("street_office", "compound"), ("resident", "building")])
def test_an_id_beyond_any_row_is_a_400_of_its_field_not_a_500(as_user, categories, demo_compound, login, field):
    """Found by review: bigint parameters of the prepared intake statement refused 2**63 with a 500."""
    payload = {"category": categories["repair"].pk, "description": "x", field: 2**63}
    if login == "street_office":
        payload = {"compound": demo_compound.pk, "source": "phone", **payload}
    response = as_user(login).post("/api/v1/petitions/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_the_service_treats_an_id_beyond_any_row_as_no_row(users, categories, demo_compound):
    from django.http import Http404

    from core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.petition_record(actor=users["street_office"], compound=demo_compound, category=2**63,
                                 description="x", source="phone")
    assert refused.value.field == "category"
    with pytest.raises(Http404):
        services.petition_record(actor=users["street_office"], compound=2**63, category=categories["repair"],
                                 description="x", source="phone")


def test_invalid_input_is_a_400_per_field(as_user):
    response = as_user("resident").post("/api/v1/petitions/", {"source": "fax"}, format="json")
    assert response.status_code == 400
    assert {"category", "description", "source"} <= set(response.json())


@pytest.mark.parametrize("query,check", [
    ("status=submitted", lambda r: r["status"] == "submitted"),
    ("level=street", lambda r: r["level"] == "street"),
    ("source=hotline_12345", lambda r: r["source"] == "hotline_12345"),
    ("overdue=true", lambda r: r["overdue"]),
    ("overdue=false", lambda r: not r["overdue"]),
])
def test_list_filters(as_user, query, check):
    rows = as_user("district_org").get(f"/api/v1/petitions/?page_size=200&{query}").json()["results"]
    assert rows and all(check(r) for r in rows)


def test_filter_by_compound_and_category(as_user, demo_compound, categories):
    url = f"/api/v1/petitions/?compound={demo_compound.pk}&category={categories['repair'].pk}"
    rows = as_user("district_org").get(url).json()["results"]
    assert all(r["compound"] == demo_compound.pk and r["category"] == categories["repair"].pk for r in rows)


def test_the_whole_loop_through_the_api(as_user, submit):
    petition = submit()
    firm, resident = as_user("firm_staff"), as_user("resident")
    url = f"/api/v1/petitions/{petition.pk}"
    assert firm.post(f"{url}/accept/", {}, format="json").json()["status"] == "accepted"
    assert firm.post(f"{url}/resolve/", {}, format="json").status_code == 400  # no reply yet
    assert firm.post(f"{url}/reply/", {"text": "已维修"}, format="json").status_code == 200
    body = firm.post(f"{url}/resolve/", {}, format="json").json()
    assert body["status"] == "resolved" and body["actions"] == ["call_back"]  # only the reporter's number left
    assert resident.get(f"{url}/").json()["actions"] == ["rate"]
    assert resident.post(f"{url}/rate/", {"rating": 7}, format="json").status_code == 400
    body = resident.post(f"{url}/rate/", {"rating": 2, "comment": "还是不亮"}, format="json").json()
    assert body["status"] == "reopened"


def test_whistle_and_department_answer_through_the_api(as_user, submit, main_district):
    from communities.models import Department

    petition = submit()
    Petition.objects.filter(pk=petition.pk).update(level=EscalationLevel.STREET)
    police = Department.objects.get(district=main_district, kind="police")
    response = as_user("street_office").post(f"/api/v1/petitions/{petition.pk}/whistle/",
                                             {"departments": [police.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert [w["department"] for w in response.json()["whistles"]] == [police.pk]
    dept = as_user("department_staff")
    assert dept.get(f"/api/v1/petitions/{petition.pk}/").status_code == 200
    body = dept.post(f"/api/v1/petitions/{petition.pk}/answer/", {"answer": "已出警"}, format="json").json()
    assert body["whistles"][0]["answered_at"]


def test_anonymous_reporters_are_hidden_from_the_handler_only(as_user, submit):
    petition = submit(anonymous=True)
    name = petition.reporter.person.name
    assert as_user("firm_staff").get(f"/api/v1/petitions/{petition.pk}/").json()["reporter"]["name"] != name
    seen = as_user("community_office").get(f"/api/v1/petitions/{petition.pk}/").json()["reporter"]["name"]
    assert seen == name


def test_merge_and_duplicates_through_the_api(as_user, submit):
    original, duplicate = submit(), submit()
    firm = as_user("firm_staff")
    offered = firm.get(f"/api/v1/petitions/{duplicate.pk}/duplicates/").json()
    assert original.pk in [r["id"] for r in offered]
    body = firm.post(f"/api/v1/petitions/{duplicate.pk}/merge/", {"original": original.pk}, format="json").json()
    assert body["status"] == Status.CLOSED and body["duplicate_of"] == original.pk


# --- photos -------------------------------------------------------------------------------------------------

def _post_with(client, categories, *photos):
    return client.post("/api/v1/petitions/", {
        "category": categories["repair"].pk, "description": "墙皮脱落", "photos": list(photos),
    }, format="multipart")


@pytest.mark.parametrize("fmt,name", [("JPEG", "a.jpg"), ("PNG", "b.png"), ("WEBP", "c.webp")])
def test_photos_in_the_allowed_formats_are_kept(as_user, categories, fmt, name):
    response = _post_with(as_user("resident"), categories, _image(fmt, name))
    assert response.status_code == 201, response.content
    assert PetitionAttachment.objects.filter(petition_id=response.json()["id"]).count() == 1


@pytest.mark.parametrize("fmt,name", [("JPEG", "big.jpg"), ("PNG", "big.png"), ("WEBP", "big.webp")])
def test_photos_are_turned_upright_resized_and_stripped(as_user, categories, fmt, name):
    """A phone photo lying on its side (EXIF orientation 6, 3000 × 1000 as stored) becomes 533 × 1600, upright,
    with no EXIF (the place it was taken) left."""
    image = Image.new("RGB", (3000, 1000), (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, 300, 1000))  # a blue band on the stored left edge
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    upload = SimpleUploadedFile(name, buffer.getvalue())
    response = _post_with(as_user("resident"), categories, upload)
    assert response.status_code == 201, response.content
    stored = PetitionAttachment.objects.get(petition_id=response.json()["id"])
    with stored.file.open("rb") as f, Image.open(f) as saved:
        assert saved.format == fmt
        assert saved.size == (533, 1600)
        assert not saved.getexif()
        top = saved.convert("RGB").getpixel((saved.width // 2, 20))
        assert top[2] > 150 and top[0] < 100, top  # the blue band is now at the top: turned upright
    assert stored.size == stored.file.size < len(buffer.getvalue())


@pytest.mark.parametrize("upload", [
    pytest.param(lambda: _image("GIF", "d.gif"), id="wrong-type"),
    pytest.param(lambda: _image("PNG", "e.jpg"), id="forged-extension"),
    pytest.param(lambda: SimpleUploadedFile("f.jpg", b"MZ\x90\x00 not an image", "image/jpeg"), id="not-an-image"),
    pytest.param(lambda: SimpleUploadedFile("g.jpg", _image().read() + b"\0" * (5 * 1024 * 1024)), id="too-big"),
])
def test_bad_uploads_are_refused(as_user, categories, upload):
    before = Petition.objects.count()
    response = _post_with(as_user("resident"), categories, upload())
    assert response.status_code == 400 and "photos" in response.json(), response.content
    assert Petition.objects.count() == before


def test_at_most_six_photos(as_user, categories):
    response = _post_with(as_user("resident"), categories, *[_image(name=f"{i}.jpg") for i in range(7)])
    assert response.status_code == 400 and "photos" in response.json()


def test_bulk_accept_answers_what_was_accepted(as_user, submit):
    mine, police = [submit(), submit()], submit("security")
    response = as_user("firm_staff").post("/api/v1/petitions/bulk-accept/",
                                          {"ids": [p.pk for p in [*mine, police]]}, format="json")
    assert response.status_code == 200
    assert response.json()["accepted"] == sorted(p.pk for p in mine)


def _token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.parametrize("login,extra,queries", [
    # scope, the compound's place and routing with the category and the new id, one INSERT of the petition, its
    # event and the handler's notices — a statement on its own, so no transaction around it (ADR 0010) — (the
    # token was cached by the first request: no query; without the cache, one more); the recorder's scope check is
    # asked of the compound's place as read with the category (no query of its own)
    ("resident", {}, 3),
    ("street_office", {"source": "phone", "reporter_phone": "13800000000"}, 3),
])
def test_a_create_costs_a_fixed_number_of_queries(users, categories, demo_compound, django_assert_num_queries,
                                                  django_capture_on_commit_callbacks, login, extra, queries):
    """The whole request, token to answer; the handler's notice is written in the petition's statement and left
    in the outbox for the minute's delivery sweep, no task per petition. (SQLite has no LATERAL join and takes
    the ORM's path: the compound, category, contract and committee are four reads there, and the petition, its
    event, the handler lookup and the notices four statements in a transaction.)"""
    from django.db import connection

    from notifications.models import Notification
    from petitions.models import Petition

    queries += 0 if connection.vendor == "postgresql" else 8
    client = _token_client(users[login])
    payload = {"category": categories["repair"].pk, "description": "楼道灯不亮", **extra}
    if extra:
        payload["compound"] = demo_compound.pk
    for counted in (False, True):  # the first request pays for imports and caches
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            if counted:
                with django_assert_num_queries(queries):
                    response = client.post("/api/v1/petitions/", payload, format="json")
            else:
                response = client.post("/api/v1/petitions/", payload, format="json")
        assert response.status_code == 201, response.content
        assert callbacks == []  # nothing queued: the notice waits in the outbox
        notices = Notification.objects.for_target(Petition(pk=response.json()["id"]))
        assert [(n.user.username, n.delivered_at) for n in notices] == [("firm_staff", None)]


@pytest.mark.parametrize("code", ["repair", "security", "neighbours"])
def test_the_creates_plain_answer_equals_the_list_serializer(as_user, categories, code):
    from petitions.api.serializers import PetitionListSerializer

    response = as_user("resident").post("/api/v1/petitions/", {
        "category": categories[code].pk, "description": "楼道灯不亮"}, format="json")
    assert response.status_code == 201, response.content
    petition = Petition.objects.select_related("category", "compound", "handler_firm", "handler_department").get(
        pk=response.json()["id"])
    assert response.json() == PetitionListSerializer(petition).data


def test_a_recorded_compounds_place_is_read_from_the_database_not_trusted_from_the_caller(users, categories,
                                                                                       demo_compound):
    """Review finding: a Compound passed in with other place ids must not pass the recorder's scope check."""
    from django.http import Http404

    from communities.models import Compound

    outside = Compound.objects.exclude(street_id=demo_compound.street_id).filter(
        district_id=demo_compound.district_id).first()
    forged = Compound.objects.get(pk=outside.pk)
    forged.street_id, forged.community_id = demo_compound.street_id, demo_compound.community_id
    with pytest.raises(Http404):
        services.petition_record(actor=users["street_office"], compound=forged, category=categories["repair"],
                                 description="x", source="phone")


def test_a_recorded_reporters_phone_must_look_like_one_in_the_api_too(as_user, categories, demo_compound):
    response = as_user("street_office").post("/api/v1/petitions/", {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "source": "phone", "description": "x",
        "reporter_phone": "abc;<>"}, format="json")
    assert response.status_code == 400 and "reporter_phone" in response.json()


def test_an_actions_answer_loads_the_detail_up_front(as_user, submit, django_assert_max_num_queries):
    """Review finding: each action's answer read the reporter and their person lazily (two queries more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    petition = submit()
    client = as_user("firm_staff")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/api/v1/petitions/{petition.pk}/accept/", {}, format="json").status_code == 200
    tables = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    lazy = [sql for sql in tables if sql.lstrip().startswith(('SELECT "auth_user"', 'SELECT "communities_person"'))]
    assert lazy == []


def test_the_api_offers_the_same_actions_as_the_admin_panel(as_user, users, submit, main_district):
    """Review finding: the API's `actions` lacked a department's answer and the merge the admin offered."""
    from communities.models import Department

    petition, later = submit(), submit(description="又坏了")
    Petition.objects.filter(pk=petition.pk).update(level=EscalationLevel.STREET)
    police = Department.objects.get(district=main_district, kind="police")
    as_user("street_office").post(f"/api/v1/petitions/{petition.pk}/whistle/", {"departments": [police.pk]},
                                  format="json")
    assert "answer" in as_user("department_staff").get(f"/api/v1/petitions/{petition.pk}/").json()["actions"]
    assert "merge" in as_user("commissioner").get(f"/api/v1/petitions/{later.pk}/").json()["actions"]
