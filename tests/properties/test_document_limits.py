"""The contract documents' 20 MB limit and their "choose a file" are the check's (properties.documents,
on core.uploads), so every door refuses the same way with the same words: a direct call with a
DomainError on `file`, the API with a 400 on `file`, the admin with the inline form's error on `file`, a
campaign record's evidence on `evidence`; nothing is kept. The limit is made 100 bytes here; a file of
exactly the limit passes."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.errors import DomainError
from properties import documents, services
from properties.models import Contract, ContractDocument
from tests.properties.admin_forms import contract_change_form

pytestmark = pytest.mark.django_db

LIMIT = 100
TOO_LARGE = "A document may be at most 20 MB."
MISSING = "Choose the file to upload."


@pytest.fixture(autouse=True)
def small_limit(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", LIMIT)
    with translation.override("en"):  # direct calls; a request speaks its own Accept-Language
        yield


def _pdf(size: int, name="合同.pdf"):
    head = b"%PDF-1.7\n"
    return SimpleUploadedFile(name, head + b"0" * (size - len(head)), content_type="application/pdf")


def _contract(users) -> Contract:
    from communities.models import RoleAssignment

    compound = RoleAssignment.objects.get(user=users["commissioner"]).compound
    return Contract.objects.get(compound=compound, status=Contract.Status.ACTIVE)


def test_the_check_takes_a_document_of_exactly_the_limit_and_refuses_one_byte_more():
    assert documents.validate_document(_pdf(LIMIT)) == "application/pdf"
    with pytest.raises(DomainError) as refused:
        documents.validate_document(_pdf(LIMIT + 1))
    assert (refused.value.message, refused.value.field) == (TOO_LARGE, "file")


@pytest.mark.parametrize("upload", [None, ContentFile(b"%PDF-1.7\n")])  # nothing, or a file without a name
def test_the_check_refuses_no_file(upload):
    with pytest.raises(DomainError) as refused:
        documents.validate_document(upload)
    assert (refused.value.message, refused.value.field) == (MISSING, "file")


def test_the_service_refuses_a_large_document_and_keeps_nothing(users):
    contract = _contract(users)
    with pytest.raises(DomainError) as refused:
        services.contract_document_add(actor=users["district_center"], contract=contract, title="x",
                                       upload=_pdf(LIMIT + 1))
    assert (refused.value.message, refused.value.field) == (TOO_LARGE, "file")
    assert not ContractDocument.objects.filter(contract=contract, title="x").exists()


def test_the_api_refuses_a_large_document_on_its_field(users, as_user):
    contract = _contract(users)
    url = f"/api/v1/properties/contracts/{contract.pk}/documents/"
    answer = as_user("district_center").post(url, {"title": "x", "file": _pdf(LIMIT + 1)}, format="multipart",
                                             HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer.json() == {"file": [TOO_LARGE]}
    assert not ContractDocument.objects.filter(contract=contract, title="x").exists()


def test_the_api_answers_in_chinese_by_default(users, as_user):
    contract = _contract(users)
    answer = as_user("district_center").post(f"/api/v1/properties/contracts/{contract.pk}/documents/",
                                             {"title": "x", "file": _pdf(LIMIT + 1)}, format="multipart")
    assert answer.status_code == 400
    assert answer.json() == {"file": ["每个文件不得超过20 MB。"]}


def test_the_admin_refuses_a_large_document_on_its_field(client, users):
    contract = _contract(users)
    client.force_login(users["district_center"])
    new = ContractDocument.objects.filter(contract=contract).count()
    page = client.post(f"/admin/properties/contract/{contract.pk}/change/",
                       contract_change_form(contract, title="补充协议", upload=_pdf(LIMIT + 1, "补充协议.pdf")),
                       HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    formset = next(inline.formset for inline in page.context["inline_admin_formsets"]
                   if inline.formset.model is ContractDocument)
    assert formset.errors[new] == {"file": [TOO_LARGE]}
    assert ContractDocument.objects.filter(contract=contract).count() == new


def test_a_campaign_record_refuses_large_evidence_on_its_field(users, as_user):
    from communities.models import RoleAssignment
    from governance.models import CampaignRecord

    community = RoleAssignment.objects.get(user=users["community_office"]).community
    answer = as_user("community_office").post("/api/v1/governance/campaign-records/", {
        "kind": CampaignRecord.Kind.ENFORCEMENT, "title": "x", "on": "2026-05-01", "community": community.pk,
        "evidence": _pdf(LIMIT + 1, "a.pdf")}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert answer.json() == {"evidence": [TOO_LARGE]}
    assert not CampaignRecord.objects.filter(title="x").exists()
