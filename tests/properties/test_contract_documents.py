"""Contract documents through the API and the admin: checked like petition photos, 404 outside the scope, 403
for those who see the contract but do not manage it; every login × the upload door."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Compound
from properties.models import Contract, ContractDocument
from tests.conftest import ROLE_LOGINS
from tests.oracle import expected as foundation_expected
from tests.properties.admin_forms import contract_change_form


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def _contract(users) -> Contract:
    from communities.models import RoleAssignment

    compound = RoleAssignment.objects.get(user=users["commissioner"]).compound
    return Contract.objects.get(compound=compound, status=Contract.Status.ACTIVE)


def _pdf(name="合同.pdf", content=b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_the_district_centre_uploads_a_checked_document(users, as_user):
    contract = _contract(users)
    client = as_user("district_center")
    url = f"/api/v1/properties/contracts/{contract.pk}/documents/"
    answer = client.post(url, {"title": "物业服务合同", "file": _pdf()}, format="multipart")
    assert answer.status_code == 201, answer.content
    assert answer.json()["content_type"] == "application/pdf"
    refused = [
        SimpleUploadedFile("合同.pdf", _png()),  # the name does not match the content
        SimpleUploadedFile("scan.png", b"MZ\x90\x00 not an image"),  # not an image at all
        SimpleUploadedFile("a.exe", b"%PDF-1.4\n"),  # a PDF under another name
        SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)),  # over 20 MB
    ]
    for upload in refused:
        answer = client.post(url, {"title": "x", "file": upload}, format="multipart")
        assert answer.status_code == 400 and "file" in answer.json(), (upload.name, answer.content)
    assert client.post(url, {"title": "x"}, format="multipart").status_code == 400
    listed = client.get(url).json()
    assert [d["title"] for d in listed if d["contract"] == contract.pk][-1] == "物业服务合同"
    assert ContractDocument.objects.filter(contract=contract).count() == len(listed)


def _sees(user, contract) -> bool:
    from communities.models import Residency, Role, RoleAssignment

    roles = list(RoleAssignment.objects.filter(user=user))
    homes = list(Residency.objects.filter(person__user=user).select_related("household"))
    tenants = {a.district_id for a in roles} | {r.household.district_id for r in homes}
    firms = {a.firm_id for a in roles if a.role == Role.FIRM_STAFF}
    return contract.district_id in tenants and (
        contract.compound_id in foundation_expected(user, Compound) or contract.firm_id in firms)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_the_upload_door_for_every_login(users, as_user, login):
    contract = _contract(users)
    answer = as_user(login).post(f"/api/v1/properties/contracts/{contract.pk}/documents/",
                                 {"title": "x", "file": _pdf()}, format="multipart")
    if login == "district_center":
        want = 201
    else:
        want = 403 if _sees(users[login], contract) else 404
    assert answer.status_code == want, answer.content


@pytest.mark.django_db
def test_the_admin_uploads_a_checked_document(client, users):
    contract = _contract(users)
    client.force_login(users["district_center"])
    url = f"/admin/properties/contract/{contract.pk}/change/"
    existing = ContractDocument.objects.filter(contract=contract).count()

    def post(upload):
        return client.post(url, contract_change_form(contract, title="补充协议", upload=upload))

    page = post(SimpleUploadedFile("补充协议.pdf", _png()))
    assert page.status_code == 200 and ContractDocument.objects.filter(contract=contract).count() == existing
    page = post(_pdf("补充协议.pdf"))
    assert page.status_code == 302, page.content.decode()[:3000]
    document = ContractDocument.objects.filter(contract=contract).latest("pk")
    assert document.title == "补充协议" and document.content_type == "application/pdf"
    assert document.uploaded_by == users["district_center"]


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_the_download_door_for_every_login(users, as_user, client, login):
    # a document uploaded by the district centre is downloaded by every login that sees its contract, by session
    # or by API token, as an attachment of its own bytes; 404 for the others and for an unknown id alike
    contract = _contract(users)
    content = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    listed = as_user("district_center").post(f"/api/v1/properties/contracts/{contract.pk}/documents/",
                                              {"title": "合同", "file": _pdf(content=content)}, format="multipart")
    url = listed.json()["url"]
    client.force_login(users[login])
    answer = client.get(url)
    if _sees(users[login], contract):
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == content
        assert answer["Content-Disposition"].startswith("attachment;")
        assert answer["Content-Type"] == "application/octet-stream"
        assert answer["X-Content-Type-Options"] == "nosniff"
    else:
        assert answer.status_code == 404
    assert client.get(f"/contract-documents/{ContractDocument.objects.order_by('pk').last().pk + 1}/").status_code == 404


@pytest.mark.django_db
def test_the_download_takes_the_api_token_and_sends_the_anonymous_to_log_in(users, as_user, client):
    from core.tokens import issue_token, revoke_tokens

    contract = _contract(users)
    url = as_user("district_center").post(f"/api/v1/properties/contracts/{contract.pk}/documents/",
                                          {"title": "合同", "file": _pdf()}, format="multipart").json()["url"]
    assert client.get(url).status_code == 302  # to the login page
    token = issue_token(users["commissioner"]).key
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    revoke_tokens(users["commissioner"])
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {token}").status_code == 302
