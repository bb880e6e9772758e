"""The one door into the journal: `post` writes a transaction and its legs, after checking in Python the rules
PostgreSQL enforces again at the database (migrations/0002_ledger_integrity_triggers.py).

Callers run inside `transaction.atomic` and take their locks in one order — the application, then the period,
then the accounts by id (`lock_accounts`) — so concurrent postings wait for each other instead of deadlocking,
and the balance each check reads is the one the database will update.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from ledger.models import (
    CENT,
    Account,
    AccountKind,
    Leg,
    Period,
    Transaction,
    kind_sign,
)


def compound_account(compound, kind: str) -> Account:
    """The compound's account of `kind`, opened on first use."""
    account = Account.objects.filter(compound=compound, kind=kind, household__isnull=True).first()
    if account is None:
        with transaction.atomic():
            account, _created = Account.objects.get_or_create(
                compound=compound, kind=kind, household=None,
                defaults={"district_id": compound.district_id, "street_id": compound.street_id,
                          "community_id": compound.community_id},
            )
    return account


def household_accounts(households, kind: str) -> dict[int, Account]:
    """{household id: its account of `kind`}, opening the missing ones in one insert."""
    households = list(households)
    found = {a.household_id: a for a in Account.objects.filter(household__in=households, kind=kind)}
    missing = [h for h in households if h.pk not in found]
    if missing:
        Account.objects.bulk_create(
            [Account(district_id=h.district_id, street_id=h.street_id, community_id=h.community_id,
                     compound_id=h.compound_id, household=h, kind=kind, sign=kind_sign(kind),
                     may_go_negative=kind == AccountKind.FEES_RECEIVABLE) for h in missing],
            ignore_conflicts=True,
        )
        found = {a.household_id: a for a in Account.objects.filter(household__in=households, kind=kind)}
    return found


def lock_accounts(accounts) -> dict[int, Account]:
    """The accounts re-read under a row lock, in id order; {id: account}."""
    ids = sorted({a.pk for a in accounts})
    return {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def open_period(compound, day: datetime.date) -> Period:
    """The month of `day` in the compound's books, locked; refused once closed."""
    period, _created = Period.objects.get_or_create(
        compound=compound, year=day.year, month=day.month, defaults={"district_id": compound.district_id},
    )
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != Period.Status.OPEN:
        raise DomainError(_("The books of %(period)s are closed; post into an open month.") % {"period": period},
                          field="posted_on")
    return period


def post(*, compound, kind: str, posted_on: datetime.date, legs, actor=None, memo: str = "",
         reverses: Transaction | None = None, application=None) -> Transaction:
    """Posts a balanced transaction: `legs` are (account, signed amount) pairs, positive debits, negative
    credits. Refuses unbalanced, zero or sub-fen legs, accounts of another compound and any balance the rules
    keep at zero or above."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post() runs inside transaction.atomic")
    totals: dict[int, Decimal] = defaultdict(Decimal)
    accounts = {}
    for account, amount in legs:
        amount = Decimal(amount)
        if amount == 0 or amount != amount.quantize(CENT):
            raise DomainError(_("Every line needs a non-zero amount in whole fen."), field="amount")
        if account.compound_id != compound.pk:
            raise DomainError(_("An account of another compound cannot be posted to here."))
        totals[account.pk] += amount
        accounts[account.pk] = account
    if len(legs) < 2 or sum(totals.values(), Decimal(0)) != 0:
        raise DomainError(_("The lines of a transaction must balance (debits equal credits)."))
    period = open_period(compound, posted_on)
    locked = lock_accounts(accounts.values())
    for pk, delta in totals.items():
        account = locked[pk]
        if not account.may_go_negative and account.balance + account.sign * delta < 0:
            raise DomainError(
                _("Not enough money in %(account)s: %(balance)s yuan, %(needed)s needed.")
                % {"account": account, "balance": account.balance, "needed": -account.sign * delta},
                field="amount",
            )
    txn = Transaction.objects.create(
        district_id=compound.district_id, compound=compound, period=period, kind=kind, posted_on=posted_on,
        memo=memo, reverses=reverses, application=application, created_by=actor,
    )
    Leg.objects.bulk_create([Leg(transaction=txn, account_id=account.pk, amount=Decimal(amount))
                             for account, amount in legs])
    if connection.vendor != "postgresql":
        # PostgreSQL's trigger moves the balances; elsewhere this does, under the same locks, with the sum made
        # in Python: SQLite would add the decimals as floats and leave 0.00 a hair below zero.
        for pk, delta in totals.items():
            Account.objects.filter(pk=pk).update(balance=locked[pk].balance + locked[pk].sign * delta)
    return txn


def reversal_legs(original: Transaction):
    """The legs that undo `original`, line by line."""
    return [(leg.account, -leg.amount) for leg in original.legs.select_related("account").order_by("pk")]

