"""The ledger's 10 MB upload limit is the services' (ledger.uploads), so every door refuses a large file the same
way: the API with a 400 on `file`, the admin with the form's error on `file`, a direct call with a
ValidationError — never a 500, nothing kept. The limit is made 100 bytes here."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledger import fees, services, uploads
from ledger.models import FeeImport, FundDocument

from .conftest import households_of, passed_vote
from .test_fees import _sheet, billed  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ROWS = [["A-1", "1", "", "001", "179.00", "2026-03-05"]] * 20  # a workbook of a few kilobytes
MESSAGE = "The file is larger than 10 MB."
MISSING = "Choose the file to upload."


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)


def test_the_check_takes_a_file_of_exactly_the_limit_and_refuses_one_byte_more():
    uploads.check_upload(SimpleUploadedFile("quote.pdf", b"x" * 100))
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(SimpleUploadedFile("quote.pdf", b"x" * 101))
    assert refused.value.message_dict == {"file": [MESSAGE]}


@pytest.mark.parametrize("upload", [None, ContentFile(b"x")])  # nothing, or a file without a name
def test_the_check_refuses_no_file(upload):
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload)
    assert refused.value.message_dict == {"file": [MISSING]}


def test_the_fee_import_api_answers_in_chinese_by_default(as_user, billed):  # noqa: F811
    response = as_user("firm_staff").post("/api/v1/ledger/fee-payments/import/", {
        "compound": billed.pk, "file": _workbook()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == ["文件超过 10 MB。"]


def _workbook(name="payments.xlsx"):
    return SimpleUploadedFile(name, _sheet(ROWS).getvalue())


def test_the_fee_import_service_refuses_a_large_sheet(users, billed):  # noqa: F811
    with pytest.raises(ValidationError) as refused:
        fees.fee_import_start(actor=users["firm_staff"], compound=billed, file=_workbook())
    assert refused.value.message_dict == {"file": [MESSAGE]}
    assert not FeeImport.objects.exists()


def test_the_fee_import_api_refuses_a_large_sheet_on_its_field(as_user, billed):  # noqa: F811
    response = as_user("firm_staff").post("/api/v1/ledger/fee-payments/import/", {
        "compound": billed.pk, "file": _workbook()}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["file"] == [MESSAGE]
    assert not FeeImport.objects.exists()


def test_the_fee_import_admin_refuses_a_large_sheet_on_its_field(client, users, billed):  # noqa: F811
    client.force_login(users["firm_staff"])
    response = client.post(reverse("admin:ledger_feepayment_import"), {"compound": billed.pk, "file": _workbook()},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [MESSAGE]
    assert not FeeImport.objects.exists()


@pytest.fixture
def application(users, demo_compound):
    return services.fund_application_submit(
        actor=users["committee_member"], compound=demo_compound, project="Gate", amount="10", contractor="C",
        buildings=[households_of(demo_compound)[0].building], applicant="committee",
        decision=passed_vote(demo_compound))


def _quote():
    return SimpleUploadedFile("quote.pdf", b"%PDF-1.4\n" + b"x" * 200, content_type="application/pdf")


def test_the_fund_document_service_refuses_a_large_file(users, application):
    with pytest.raises(ValidationError) as refused:
        services.fund_document_add(actor=users["committee_member"], application=application, kind="quote",
                                   file=_quote())
    assert refused.value.message_dict == {"file": [MESSAGE]}
    assert not FundDocument.objects.filter(application=application).exists()


def test_the_fund_document_api_refuses_a_large_file_on_its_field(as_user, application):
    response = as_user("committee_member").post(
        f"/api/v1/ledger/fund-applications/{application.pk}/documents/", {"kind": "quote", "file": _quote()},
        format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["file"] == [MESSAGE]
    assert not FundDocument.objects.filter(application=application).exists()
