"""Operating income of the common parts (公共收益): entered by the firm or the committee, reviewed by the
committee (approval books it), and published to the owners month by month as a statement nobody can change."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from ledger.models import AccountKind, CommonItem, Leg, MonthlyStatement, Period, TransactionKind
from ledger.money import parse_amount
from ledger.policies import common_item_policy
from ledger.posting import compound_account, post


@transaction.atomic
def common_item_enter(*, actor, compound, kind: str, category: str, amount, occurred_on: datetime.date,
                      description: str) -> CommonItem:
    """Enters an income or expense; it waits for the committee's review."""
    item = CommonItem(compound=compound, kind=kind, category=category, occurred_on=occurred_on,
                      description=(description or "").strip(), entered_by=actor)
    item.derive_ancestors()
    common_item_policy.require(actor, "enter", item)
    errors = {}
    try:
        item.amount = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if kind not in CommonItem.Kind.values:
        errors["kind"] = [_("Choose income or expense.")]
    if category not in CommonItem.Category.values:
        errors["category"] = [_("Choose a category.")]
    if not item.description:
        errors["description"] = [_("Describe the income or expense.")]
    if errors:
        raise ValidationError(errors)
    item.save()
    return item


@transaction.atomic
def common_item_review(*, actor, item: CommonItem, approve: bool, note: str = "",
                       now: datetime.datetime | None = None) -> CommonItem:
    """The committee's review: approval books the item (an expense only as far as the money goes)."""
    item = CommonItem.objects.select_for_update().get(pk=item.pk)
    common_item_policy.require(actor, "review", item)
    if item.status != CommonItem.Status.ENTERED:
        raise DomainError(_("This item has been reviewed already."))
    if MonthlyStatement.objects.filter(compound_id=item.compound_id, year=item.occurred_on.year,
                                       month=item.occurred_on.month).exists():
        raise DomainError(_("The statement of this month is published; enter the item in an open month."))
    item.reviewed_by, item.reviewed_at, item.review_note = actor, now or timezone.now(), (note or "").strip()
    if approve:
        compound = item.compound
        bank = compound_account(compound, AccountKind.COMMON_BANK)
        if item.kind == CommonItem.Kind.INCOME:
            other = compound_account(compound, AccountKind.COMMON_INCOME)
            legs = [(bank, item.amount), (other, -item.amount)]
        else:
            other = compound_account(compound, AccountKind.COMMON_EXPENSE)
            legs = [(other, item.amount), (bank, -item.amount)]
        item.transaction = post(compound=compound, kind=TransactionKind(item.kind), posted_on=item.occurred_on,
                                legs=legs, actor=actor, memo=item.description)
        item.status = CommonItem.Status.APPROVED
    else:
        if not item.review_note:
            raise ValidationError({"note": _("Say why the item is rejected.")})
        item.status = CommonItem.Status.REJECTED
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "transaction"])
    return item


@transaction.atomic
def statement_publish(*, actor, compound, year: int, month: int, today: datetime.date | None = None,
                      now: datetime.datetime | None = None) -> MonthlyStatement:
    """Publishes the month's common-part statement to the owners, once the month is over and every item of it
    reviewed; the figures come from the books, and the statement is never changed afterwards."""
    statement = MonthlyStatement(compound=compound, year=year, month=month, published_by=actor,
                                 district_id=compound.district_id, street_id=compound.street_id,
                                 community_id=compound.community_id)
    common_item_policy.require(actor, "publish", CommonItem(compound=compound, district_id=compound.district_id,
                                                            street_id=compound.street_id,
                                                            community_id=compound.community_id))
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Enter a month from 1 to 12.")})
    end = Period.day_after(year, month)
    if (today or timezone.localdate()) < end:
        raise DomainError(_("A month's statement is published once the month is over."))
    items = CommonItem.objects.filter(compound=compound, occurred_on__year=year, occurred_on__month=month)
    if items.filter(status=CommonItem.Status.ENTERED).exists():
        raise DomainError(_("Review every income and expense of the month before publishing it."))
    lines = defaultdict(Decimal)
    for kind, category, total in (items.filter(status=CommonItem.Status.APPROVED)
                                  .values_list("kind", "category").annotate(total=Sum("amount"))
                                  .order_by("kind", "category")):
        lines[(kind, category)] += total
    statement.income = sum((t for (k, _c), t in lines.items() if k == CommonItem.Kind.INCOME), Decimal(0))
    statement.expenses = sum((t for (k, _c), t in lines.items() if k == CommonItem.Kind.EXPENSE), Decimal(0))
    bank = compound_account(compound, AccountKind.COMMON_BANK)
    statement.balance = (Leg.objects.filter(account=bank, transaction__posted_on__lt=end)
                         .aggregate(total=Sum("amount"))["total"] or Decimal(0))
    statement.lines = [{"kind": k, "category": c, "amount": str(t)} for (k, c), t in sorted(lines.items())]
    statement.published_at = now or timezone.now()
    try:
        with transaction.atomic():
            statement.save()
    except IntegrityError as exc:
        raise DomainError(_("The statement of this month is published already.")) from exc
    return statement


def statements_of_month(year: int, month: int):
    """The month's published statements: what "the compound published the month's income and expenses online"
    means, for publishing_share and for the campaign's grouped measure alike."""
    return MonthlyStatement.objects.filter(year=year, month=month)


def publishing_share(compound_ids, *, year: int, month: int) -> dict:
    """How many of the compounds published the month's statement: {published, compounds, share} (the campaign's
    "income and expenses published online" measure, target ≥ 80%)."""
    compound_ids = list(compound_ids)
    published = (statements_of_month(year, month).filter(compound_id__in=compound_ids)
                 .values("compound_id").distinct().count())
    total = len(compound_ids)
    return {"published": published, "compounds": total,
            "share": (Decimal(published) / total).quantize(Decimal("0.0001")) if total else None}
