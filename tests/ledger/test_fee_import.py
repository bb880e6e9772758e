"""The firm's spreadsheet import in the admin: queued as a Celery task after the commit (the broker path of the
tests: on_commit → .delay(), run eagerly), its progress polled by the page, the refused rows downloadable, and a
second import of the same sheet recording nothing twice."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ledger import fees
from ledger.models import FeeImport, FeePayment

from .test_fees import _sheet, billed  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ROWS = [
    ["A-1", "1", "", "001", "179.00", "2026-03-05"],
    ["A-2", "1", "", "002", "240", "2026-03-06"],
    ["A-3", "1", "", "999", "10", "2026-03-06"],      # no such household
    ["A-4", "1", "", "003", "-5", "2026-03-06"],      # negative
    ["A-5", "1", "", "003", "12.345", "2026-03-06"],  # too many decimals
    ["A-6", "1", "", "003", "abc", "2026-03-06"],     # not a number
    ["A-7", "1", "", "003", "100", "06/03/2026"],     # not a date
]


def _upload(client, compound, rows=ROWS, name="payments.xlsx"):
    content = _sheet(rows).getvalue() if rows is not None else b"not a workbook"
    return client.post(reverse("admin:ledger_feepayment_import"), {
        "compound": compound.pk, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def firm(client, users):
    client.force_login(users["firm_staff"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the panel's words are asserted in English
    return client


def test_an_upload_is_imported_by_the_task_and_reports_each_refused_row(firm, billed,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = _upload(firm, billed)
    assert len(queued) == 1  # the task, queued once the upload is committed
    job = FeeImport.objects.get(compound=billed)
    assert response.status_code == 302 and response.url == reverse("admin:ledger_feepayment_import_status",
                                                                   args=[job.pk])
    assert (job.status, job.total, job.processed, job.created, job.unchanged) == ("done", 7, 7, 2, 0)
    assert [row for row, _why in job.errors] == [4, 5, 6, 7, 8]
    page = firm.get(response.url)
    assert page.status_code == 200 and b"hx-trigger" not in page.content  # finished: the polling stops
    download = firm.get(reverse("admin:ledger_feepayment_import_errors", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('errors.xlsx"')
    rows = list(load_workbook(io.BytesIO(download.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [4, 5, 6, 7, 8] and all(r[1] for r in rows[1:])

    with django_capture_on_commit_callbacks(execute=True):
        _upload(firm, billed)
    again = FeeImport.objects.filter(compound=billed).order_by("-pk").first()
    assert (again.created, again.unchanged, len(again.errors)) == (0, 2, 5)
    assert FeePayment.objects.filter(compound=billed).count() == 2


def test_the_page_polls_the_progress_until_the_task_has_run(firm, billed,  # noqa: F811
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _upload(firm, billed)
    job = FeeImport.objects.get(compound=billed)
    panel = firm.get(reverse("admin:ledger_feepayment_import_progress", args=[job.pk]))
    assert panel.status_code == 200
    assert b'hx-trigger="every 1s"' in panel.content and b"0 of 7 rows" in panel.content
    page = firm.get(reverse("admin:ledger_feepayment_import_status", args=[job.pk]))
    assert b"vendor/htmx/htmx.min.js" in page.content and b"//" + b"unpkg" not in page.content
    queued[0]()  # the worker takes the task
    panel = firm.get(reverse("admin:ledger_feepayment_import_progress", args=[job.pk]))
    assert b"hx-trigger" not in panel.content and b"7 of 7 rows" in panel.content


def test_progress_is_written_while_the_rows_are_imported(firm, billed, monkeypatch,  # noqa: F811
                                                         django_capture_on_commit_callbacks):
    seen = []
    record = fees.fee_payment_record

    def watching(**kwargs):
        seen.append(FeeImport.objects.get(compound=billed).processed)
        return record(**kwargs)

    monkeypatch.setattr(fees, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(fees, "fee_payment_record", watching)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(firm, billed)
    assert seen[0] == 0 and seen[-1] >= 4 and seen == sorted(seen)
    assert FeeImport.objects.get(compound=billed).status == "done"


def test_a_second_delivery_of_the_task_imports_nothing(firm, billed,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        _upload(firm, billed)
    assert fees.fee_import_run(FeeImport.objects.get(compound=billed).pk) is None
    queued[0]()
    assert FeePayment.objects.filter(compound=billed).count() == 2


def test_a_file_that_is_not_a_workbook_is_a_400_and_queues_nothing(firm, billed,  # noqa: F811
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = _upload(firm, billed, rows=None)
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert not queued and not FeeImport.objects.exists()


def test_the_compounds_offered_are_those_the_firm_records_payments_for(firm, billed, demo_compound):  # noqa: F811
    from communities.models import Compound

    choices = set(firm.get(reverse("admin:ledger_feepayment_import")).context["form"].fields["compound"]
                  .queryset.values_list("pk", flat=True))
    assert {billed.pk, demo_compound.pk} <= choices
    assert choices < set(Compound.objects.values_list("pk", flat=True))
    other = Compound.objects.exclude(pk__in=choices).order_by("pk").first()
    response = _upload(firm, other)
    assert response.status_code == 400 and "compound" in response.context["form"].errors


# --- the same import through the API: 202 and the import's own route -------------------------------------------

def _api_upload(client, compound, rows=ROWS):
    content = _sheet(rows).getvalue() if rows is not None else b"not a workbook"
    return client.post("/api/v1/ledger/fee-payments/import/", {
        "compound": compound.pk, "file": SimpleUploadedFile("payments.xlsx", content)}, format="multipart")


def test_the_api_queues_the_import_and_its_route_gives_progress_counts_and_refused_rows(
        as_user, billed, django_capture_on_commit_callbacks):  # noqa: F811
    firm = as_user("firm_staff")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _api_upload(firm, billed)
    assert response.status_code == 202, response.content
    job = FeeImport.objects.get(compound=billed)
    body = response.json()
    assert (body["id"], body["status"], body["total"], body["processed"]) == (job.pk, "queued", 7, 0)
    assert response["Location"] == body["url"] == f"/api/v1/ledger/fee-imports/{job.pk}/"
    assert len(queued) == 1 and not FeePayment.objects.filter(compound=billed).exists()  # nothing recorded yet
    queued[0]()  # the worker takes the task
    done = firm.get(body["url"]).json()
    assert (done["status"], done["percent"], done["created"], done["unchanged"]) == ("done", 100, 2, 0)
    assert [e["row"] for e in done["errors"]] == [4, 5, 6, 7, 8] and all(e["message"] for e in done["errors"])
    download = firm.get(done["errors_url"])
    assert download.status_code == 200 and download["Content-Disposition"].endswith('errors.xlsx"')
    rows = list(load_workbook(io.BytesIO(download.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [4, 5, 6, 7, 8]

    with django_capture_on_commit_callbacks(execute=True):
        again = _api_upload(firm, billed).json()
    again = firm.get(again["url"]).json()
    assert (again["created"], again["unchanged"], len(again["errors"])) == (0, 2, 5)
    assert FeePayment.objects.filter(compound=billed).count() == 2
    listed = firm.get(f"/api/v1/ledger/fee-imports/?compound={billed.pk}").json()["results"]
    assert [row["id"] for row in listed] == [again["id"], job.pk]


@pytest.mark.parametrize("rows, limit", [(None, None), (ROWS, 100)])
def test_a_bad_upload_is_a_400_and_queues_nothing(as_user, billed, monkeypatch, rows, limit,  # noqa: F811
                                                  django_capture_on_commit_callbacks):
    """Not a workbook, or larger than the limit (10 MB, made 100 bytes here): a field error, nothing kept."""
    from ledger import uploads

    if limit:
        monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", limit)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = _api_upload(as_user("firm_staff"), billed, rows=rows)
    assert response.status_code == 400 and "file" in response.json()
    assert not queued and not FeeImport.objects.exists()


def test_the_api_import_is_the_firms_and_404_outside_scope(as_user, billed, demo_compound):  # noqa: F811
    from communities.models import Compound

    assert _api_upload(as_user("community_office"), demo_compound).status_code == 403
    elsewhere = Compound.objects.exclude(district_id=demo_compound.district_id).order_by("pk").first()
    assert _api_upload(as_user("firm_staff"), elsewhere).status_code == 404
    missing = as_user("firm_staff").post("/api/v1/ledger/fee-payments/import/", {"compound": billed.pk},
                                         format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
