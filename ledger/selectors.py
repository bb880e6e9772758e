"""Reads of the owners' ledgers: balances come from the stored running balances, never from summing history."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from ledger.models import Account, Transaction


def balance_differences(accounts=None) -> list[dict]:
    """Accounts whose stored balance differs from the sum of their legs: [{account, stored, computed}]."""
    accounts = Account.objects.all() if accounts is None else accounts
    rows = accounts.annotate(
        computed=F("sign") * Coalesce(Sum("legs__amount"), Value(Decimal(0)),
                                      output_field=DecimalField(max_digits=14, decimal_places=2)),
    ).exclude(balance=F("computed")).values("pk", "balance", "computed").order_by("pk")
    return [{"account": r["pk"], "stored": r["balance"], "computed": r["computed"]} for r in rows]


def unbalanced_transactions(transactions=None) -> list[int]:
    """Ids of transactions whose legs do not sum to zero or that have fewer than two legs."""
    transactions = Transaction.objects.all() if transactions is None else transactions
    return list(transactions.annotate(total=Sum("legs__amount"), n=Count("legs"))
                .filter(Q(n__lt=2) | ~Q(total=0)).values_list("pk", flat=True).order_by("pk"))
