"""Reads of the owners' ledgers: balances come from the stored running balances, never from summing history."""

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from communities.models import Household
from ledger.models import Account, AccountKind, Leg, Transaction
from ledger.policies import (
    account_policy,
    fee_bill_policy,
    fee_payment_policy,
    fund_application_policy,
    monthly_statement_policy,
    shortfall_policy,
)


def balance_differences(accounts=None) -> list[dict]:
    """Accounts whose stored balance differs from the sum of their legs: [{account, stored, computed}]."""
    accounts = Account.objects.all() if accounts is None else accounts
    if connection.vendor != "postgresql":
        return _differences_exactly(accounts)
    rows = accounts.annotate(
        computed=F("sign") * Coalesce(Sum("legs__amount"), Value(Decimal(0)),
                                      output_field=DecimalField(max_digits=14, decimal_places=2)),
    ).exclude(balance=F("computed")).values("pk", "balance", "computed").order_by("pk")
    return [{"account": r["pk"], "stored": r["balance"], "computed": r["computed"]} for r in rows]


def unbalanced_transactions(transactions=None) -> list[int]:
    """Ids of transactions whose legs do not sum to zero or that have fewer than two legs."""
    transactions = Transaction.objects.all() if transactions is None else transactions
    if connection.vendor != "postgresql":
        sums, counts = defaultdict(Decimal), defaultdict(int)
        for txn, amount in Leg.objects.filter(transaction__in=transactions).values_list("transaction_id", "amount"):
            sums[txn] += amount
            counts[txn] += 1
        return sorted(pk for pk in transactions.values_list("pk", flat=True) if counts[pk] < 2 or sums[pk] != 0)
    return list(transactions.annotate(total=Sum("legs__amount"), n=Count("legs"))
                .filter(Q(n__lt=2) | ~Q(total=0)).values_list("pk", flat=True).order_by("pk"))


def _differences_exactly(accounts) -> list[dict]:
    # SQLite sums decimals as floats: add the legs up here in Decimal (the embedded demo is small).
    sums = defaultdict(Decimal)
    for account, amount in Leg.objects.filter(account__in=accounts).values_list("account_id", "amount"):
        sums[account] += amount
    out = []
    for pk, sign, balance in accounts.values_list("pk", "sign", "balance").order_by("pk"):
        if balance != sign * sums[pk]:
            out.append({"account": pk, "stored": balance, "computed": sign * sums[pk]})
    return out


PAGE = 20


def household_funds(user, household_ids) -> list[Account]:
    """The user's visible fund sub-accounts of the given households, with the household and the top-ups owed."""

    accounts = list(account_policy.visible(user).filter(
        household_id__in=list(household_ids), kind=AccountKind.HOUSEHOLD_FUND,
    ).select_related("household__building").order_by("household_id"))
    owed = dict(shortfall_policy.visible(user).filter(household_id__in=[a.household_id for a in accounts])
                .values("household_id").annotate(total=Sum("amount")).values_list("household_id", "total"))
    for account in accounts:
        account.owed = owed.get(account.household_id, Decimal(0))
    return accounts


def account_legs(account: Account):
    """The legs of an account's history with their transactions, newest first (the portal and the API page it)."""
    return (Leg.objects.filter(account=account).select_related("transaction")
            .order_by("-transaction__posted_on", "-pk"))


def account_entries(account: Account, *, page: int = 1) -> tuple[list, bool]:
    """One page of an account's history, newest first, in the account's natural direction, and whether there is
    an older page: one query whatever the history's length (the balance is stored, never summed here)."""
    legs = list(account_legs(account)[(page - 1) * PAGE:page * PAGE + 1])
    for leg in legs:
        leg.signed = leg.amount * account.sign
    return legs[:PAGE], len(legs) > PAGE


def household_finances(user, household_ids, *, page: int = 1) -> list[dict]:
    """Each of the given households in order with its fund sub-account (None where no fund is kept for it) and
    that account's page of entries, and its property fees: a household without a fund still reads its fees.
    The query count grows with the households, never with their histories."""

    ids = sorted(set(household_ids))
    households = Household.objects.filter(pk__in=ids).select_related("building").in_bulk()
    funds = {a.household_id: a for a in household_funds(user, ids)}
    fees = household_fees(user, ids)
    out = []
    for pk in ids:
        fund = funds.get(pk)
        if fund is not None:
            fund.entries, fund.has_older = account_entries(fund, page=page)
        out.append({"household": households[pk], "fund": fund, "fees": fees[pk]})
    return out


def published_applications(user, compound_ids):
    """The fund applications of the compounds the user may read, with their review trail."""

    return (fund_application_policy.visible(user).filter(compound_id__in=list(compound_ids))
            .select_related("compound").prefetch_related("reviews").order_by("-created_at")[:20])


def household_fees(user, household_ids) -> dict:
    """{household id: {"owed": receivable balance, "bills": latest 12 bills, "payments": latest 12 payments}} for
    the user's visible households: one query and two per household, whatever the length of the history."""

    ids = list(household_ids)
    out = {pk: {"owed": Decimal(0), "bills": [], "payments": []} for pk in ids}
    for account in account_policy.visible(user).filter(household_id__in=ids, kind=AccountKind.FEES_RECEIVABLE):
        out[account.household_id]["owed"] = account.balance
    for pk in ids:
        out[pk]["bills"] = list(fee_bill_policy.visible(user).filter(household_id=pk)
                                .order_by("-year", "-month")[:12])
        out[pk]["payments"] = list(fee_payment_policy.visible(user).filter(household_id=pk)
                                   .order_by("-paid_on", "-pk")[:12])
    return out


def compound_statements(user, compound_ids):
    """The latest twelve published monthly statements of each of the compounds (one query)."""

    latest_first = Window(RowNumber(), partition_by=[F("compound_id")], order_by=[F("year").desc(),
                                                                                  F("month").desc()])
    return list(monthly_statement_policy.visible(user).filter(compound_id__in=list(compound_ids))
                .annotate(recency=latest_first).filter(recency__lte=12)
                .select_related("compound").order_by("compound_id", "-year", "-month"))
