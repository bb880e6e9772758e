"""Property fees: monthly bills by floor area × the contract's fee standard, payments keyed by receipt number
(entered or imported from the firm's spreadsheet, idempotently), relief for households in hardship, and the
collection rate per compound and node. Every amount is posted to the compound's ledger."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Household
from core.errors import REFUSALS, DomainError, refusal_reason
from ledger import tasks
from ledger.models import AccountKind, FeeBill, FeeImport, FeePayment, FeeRelief, TransactionKind
from ledger.money import parse_amount, times
from ledger.policies import fee_bill_policy, fee_payment_policy, fee_relief_policy
from ledger.posting import compound_account, household_accounts, lock_accounts, open_period, post
from ledger.uploads import check_upload
from properties.selectors import active_contracts


def fee_standard(compound) -> Decimal:
    """The fee standard of the compound's active contract; refused where none is set."""
    rate = active_contracts().filter(compound=compound).values_list("fee_standard", flat=True).first()
    if not rate:
        raise DomainError(_("The compound's active contract sets no fee standard."), field="compound")
    return rate


@transaction.atomic
def fees_bill_month(*, actor, compound, year: int, month: int) -> int:
    """Bills every household of the compound not yet billed for the month (floor area × fee standard), in one
    transaction; returns how many bills were made (0 when the month is billed already)."""
    fee_bill_policy.require(actor, "bill", FeeBill(compound=compound))
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Enter a month from 1 to 12.")})
    rate = fee_standard(compound)
    day = datetime.date(year, month, 1)
    # The month is locked before the billed households are read, so a second run at the same moment waits and
    # bills nobody (instead of posting the month again and failing on the one-bill-a-month constraint).
    open_period(compound, day)
    billed = FeeBill.objects.filter(compound=compound, year=year, month=month).values("household_id")
    households = list(Household.objects.filter(compound=compound).exclude(pk__in=billed).order_by("pk"))
    if not households:
        return 0
    amounts = {h.pk: times(h.floor_area, rate) for h in households}
    receivable = household_accounts(households, AccountKind.FEES_RECEIVABLE)
    income = compound_account(compound, AccountKind.FEE_INCOME)
    legs = [(receivable[pk], amount) for pk, amount in amounts.items()]
    txn = post(compound=compound, kind=TransactionKind.BILL, posted_on=day, actor=actor,
               legs=[*legs, (income, -sum(amounts.values()))],
               memo=_("Property fees %(year)s-%(month)02d") % {"year": year, "month": month})
    FeeBill.objects.bulk_create([
        FeeBill(compound=compound, household=h, year=year, month=month, floor_area=h.floor_area, rate=rate,
                amount=amounts[h.pk], transaction=txn) for h in households
    ])
    return len(households)


@transaction.atomic
def fee_payment_record(*, actor, household: Household, amount, receipt_no: str,
                       paid_on: datetime.date | None = None) -> tuple[FeePayment, bool]:
    """Records a payment once per receipt number: (payment, created). The same receipt again with the same
    household and amount is the same payment (an import run twice); with different ones it is refused."""
    compound = household.compound
    fee_payment_policy.require(actor, "pay", FeePayment(compound=compound))
    value = parse_amount(amount)
    receipt_no = (receipt_no or "").strip()
    if not receipt_no:
        raise ValidationError({"receipt_no": _("Enter the receipt number.")})
    existing = FeePayment.objects.filter(compound=compound, receipt_no=receipt_no).first()
    if existing is not None:
        if existing.household_id == household.pk and existing.amount == value:
            return existing, False
        raise DomainError(_("Receipt %(receipt)s is already recorded for another household or amount.")
                          % {"receipt": receipt_no}, field="receipt_no")
    day = paid_on or timezone.localdate()
    receivable = household_accounts([household], AccountKind.FEES_RECEIVABLE)[household.pk]
    cash = compound_account(compound, AccountKind.FEE_CASH)
    txn = post(compound=compound, kind=TransactionKind.PAYMENT, posted_on=day, actor=actor,
               legs=[(cash, value), (receivable, -value)],
               memo=_("Receipt %(receipt)s") % {"receipt": receipt_no})
    payment = FeePayment.objects.create(compound=compound, household=household, receipt_no=receipt_no,
                                        amount=value, paid_on=day, transaction=txn)
    return payment, True


@transaction.atomic
def fee_relief_grant(*, actor, household: Household, amount, reason: str) -> FeeRelief:
    """Waives part of a household's fees with the reason (e.g. a minimum-living-allowance household)."""
    compound = household.compound
    relief = FeeRelief(compound=compound, household=household, granted_by=actor)
    fee_relief_policy.require(actor, "relieve", relief)
    relief.amount = parse_amount(amount)
    relief.reason = (reason or "").strip()
    if not relief.reason:
        raise ValidationError({"reason": _("Give the reason for the relief.")})
    day = timezone.localdate()
    open_period(compound, day)
    receivable = household_accounts([household], AccountKind.FEES_RECEIVABLE)[household.pk]
    expense = compound_account(compound, AccountKind.FEE_RELIEF)
    owed = lock_accounts([receivable, expense])[receivable.pk].balance
    if relief.amount > owed:
        raise DomainError(_("Relief cannot exceed what the household owes (%(owed)s yuan).") % {"owed": owed},
                          field="amount")
    relief.transaction = post(compound=compound, kind=TransactionKind.RELIEF, posted_on=day, actor=actor,
                              legs=[(expense, relief.amount), (receivable, -relief.amount)], memo=relief.reason)
    relief.save()
    return relief


# --- importing the firm's spreadsheet ----------------------------------------------------------------------------

IMPORT_COLUMNS = ("receipt_no", "building", "unit", "room", "amount", "paid_on")


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (row number, message)


# How often a running import writes down how far it has come (rows); each write is one UPDATE.
PROGRESS_EVERY = 25


def _values(row) -> list[str]:
    return [("" if v is None else str(v).strip()) for v in (list(row) + [None] * 6)[:6]]


def fee_payments_import(*, actor, compound, rows, progress=None) -> ImportReport:
    """Imports payments from rows of (receipt number, building, unit, room, amount, paid on), each row in its own
    transaction: a good row is recorded (or recognised as recorded before), a bad one reported with its number
    and why, and the others go on. Running the same sheet twice records nothing new. `progress(done, report)`,
    if given, is told every PROGRESS_EVERY rows."""
    fee_payment_policy.require(actor, "pay", FeePayment(compound=compound))
    households = {(h.building.name, h.unit, h.room): h for h in
                  Household.objects.filter(compound=compound).select_related("building", "compound")}
    report = ImportReport()
    done = 0
    for number, row in enumerate(rows, start=2):
        values = _values(row)
        if not any(values):
            continue
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, report)
        receipt, building, unit, room, amount, paid_on = values
        household = households.get((building, unit, room))
        try:
            if household is None:
                raise DomainError(_("No household %(building)s %(unit)s %(room)s in this compound.")
                                  % {"building": building, "unit": unit, "room": room})
            day = _parse_day(paid_on)
            _payment, created = fee_payment_record(actor=actor, household=household, amount=amount,
                                                   receipt_no=receipt, paid_on=day)
        except REFUSALS as exc:
            report.errors.append((number, refusal_reason(exc)))
            continue
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    return report


@transaction.atomic
def fee_import_start(*, actor, compound, file) -> FeeImport:
    """Keeps the uploaded sheet and queues its import (a Celery task, after the commit); the rows are counted
    now, so a file that is not a workbook (or larger than 10 MB) is refused at once and the progress has its
    total."""
    fee_payment_policy.require(actor, "pay", FeePayment(compound=compound))
    check_upload(file)  # before the workbook is opened
    total = sum(1 for row in read_sheet(file) if any(_values(row)))
    file.seek(0)
    job = FeeImport.objects.create(compound=compound, uploaded_by=actor, file=file, total=total)
    transaction.on_commit(lambda: tasks.import_fee_payments.delay(job.pk))
    return job


def fee_import_run(import_id: int) -> FeeImport | None:
    """Runs a queued import, writing its progress and refused rows as it goes; None when it is not waiting (a
    second delivery of the task). The rows are recorded by `fee_payments_import`, idempotent by receipt, so a
    sheet imported again records nothing twice."""
    with transaction.atomic():
        job = (FeeImport.objects.select_for_update(skip_locked=True)
               .filter(pk=import_id, status=FeeImport.Status.QUEUED).select_related("compound", "uploaded_by")
               .first())
        if job is None:
            return None
        job.status = FeeImport.Status.RUNNING
        job.save(update_fields=["status"])

    def progress(done, report):
        FeeImport.objects.filter(pk=job.pk).update(processed=done, created=report.created,
                                                   unchanged=report.unchanged, errors=report.errors)

    try:
        with job.file.open("rb") as file:
            rows = read_sheet(file)
        report = fee_payments_import(actor=job.uploaded_by, compound=job.compound, rows=rows, progress=progress)
    except REFUSALS as exc:  # the uploader lost the right to record payments, or the file went bad
        job.status, job.failure = FeeImport.Status.FAILED, refusal_reason(exc)[:200]
    else:
        job.status, job.created, job.unchanged = FeeImport.Status.DONE, report.created, report.unchanged
        job.errors, job.processed = report.errors, job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure", "created", "unchanged", "errors", "processed", "finished_at"])
    return job


def refused_rows_workbook(job: FeeImport) -> bytes:
    """The rows an import refused as an .xlsx workbook (row number and why), to correct in the firm's sheet and
    import again: the admin's download and the API's alike."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Refused rows")))
    sheet.append([str(_("row")), str(_("why"))])
    for row, message in job.errors:
        sheet.append([row, message])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_sheet(file) -> list[tuple]:
    """The data rows of the first sheet of an .xlsx file (the header row skipped)."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": _("Upload an Excel workbook (.xlsx).")}) from exc
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise ValidationError({"paid_on": _("Enter the payment date as YYYY-MM-DD.")}) from None


# --- collection rates --------------------------------------------------------------------------------------------

def _money_sum(name):
    return Coalesce(Sum(name), Value(Decimal(0)), output_field=DecimalField(max_digits=16, decimal_places=2))


def collection_rates(compound_ids, *, year: int | None = None) -> dict[int, dict]:
    """{compound id: {billed, relieved, paid, arrears, rate}} over the compounds (three grouped queries). The rate
    is what was paid of what was due after relief; None where nothing was billed."""
    bills = FeeBill.objects.filter(compound_id__in=list(compound_ids))
    payments = FeePayment.objects.filter(compound_id__in=list(compound_ids))
    reliefs = FeeRelief.objects.filter(compound_id__in=list(compound_ids))
    if year is not None:
        bills, payments = bills.filter(year=year), payments.filter(paid_on__year=year)
        reliefs = reliefs.filter(created_at__year=year)
    billed = dict(bills.values("compound_id").annotate(t=_money_sum("amount")).values_list("compound_id", "t"))
    paid = dict(payments.values("compound_id").annotate(t=_money_sum("amount")).values_list("compound_id", "t"))
    relieved = dict(reliefs.values("compound_id").annotate(t=_money_sum("amount")).values_list("compound_id", "t"))
    out = {}
    for pk in compound_ids:
        due = billed.get(pk, Decimal(0)) - relieved.get(pk, Decimal(0))
        got = paid.get(pk, Decimal(0))
        out[pk] = {"billed": billed.get(pk, Decimal(0)), "relieved": relieved.get(pk, Decimal(0)), "paid": got,
                   "arrears": max(due - got, Decimal(0)),
                   "rate": (min(got / due, Decimal(1)).quantize(Decimal("0.0001")) if due > 0 else None)}
    return out


def collection_rate_of(compound_ids) -> Decimal | None:
    """The collection rate of a node: paid over due, summed over its compounds (not an average of rates)."""
    rows = collection_rates(compound_ids).values()
    due = sum((r["billed"] - r["relieved"] for r in rows), Decimal(0))
    paid = sum((r["paid"] for r in rows), Decimal(0))
    return min(paid / due, Decimal(1)).quantize(Decimal("0.0001")) if due > 0 else None

