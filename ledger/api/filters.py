"""Filters by id only: a choice list would show what lies outside the user's scope."""


from core.filters import filterset_for
from ledger.models import (
    Account,
    CommonItem,
    FeeBill,
    FeeImport,
    FeePayment,
    FeeRelief,
    FundApplication,
    MonthlyStatement,
    Period,
    Transaction,
)

AccountFilter = filterset_for(Account, ["compound", "household", "kind"])
TransactionFilter = filterset_for(Transaction, ["compound", "kind", "application"])
PeriodFilter = filterset_for(Period, ["compound", "status"])
FundApplicationFilter = filterset_for(FundApplication, ["compound", "status"])
FeeBillFilter = filterset_for(FeeBill, ["compound", "household"])
FeePaymentFilter = filterset_for(FeePayment, ["compound", "household"])
FeeImportFilter = filterset_for(FeeImport, ["compound", "status"])
FeeReliefFilter = filterset_for(FeeRelief, ["compound", "household"])
CommonItemFilter = filterset_for(CommonItem, ["compound", "status", "kind"])
MonthlyStatementFilter = filterset_for(MonthlyStatement, ["compound", "year", "month"])
