"""Filters by id only: a choice list would show what lies outside the user's scope."""


from core.filters import FilterSet, IdFilter
from ledger.models import (
    Account,
    CommonItem,
    FeeBill,
    FeePayment,
    FeeRelief,
    FundApplication,
    MonthlyStatement,
    Period,
    Transaction,
)


class AccountFilter(FilterSet):
    compound = IdFilter(field_name="compound_id")
    household = IdFilter(field_name="household_id")

    class Meta:
        model = Account
        fields = ["compound", "household", "kind"]


class TransactionFilter(FilterSet):
    compound = IdFilter(field_name="compound_id")
    application = IdFilter(field_name="application_id")

    class Meta:
        model = Transaction
        fields = ["compound", "kind", "application"]


class PeriodFilter(FilterSet):
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = Period
        fields = ["compound", "status"]


class FundApplicationFilter(FilterSet):
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = FundApplication
        fields = ["compound", "status"]


def _by_compound_and_household(model_):
    attrs = {
        "compound": IdFilter(field_name="compound_id"),
        "household": IdFilter(field_name="household_id"),
        "Meta": type("Meta", (), {"model": model_, "fields": ["compound", "household"]}),
    }
    return type(f"{model_.__name__}Filter", (FilterSet,), attrs)


FeeBillFilter = _by_compound_and_household(FeeBill)
FeePaymentFilter = _by_compound_and_household(FeePayment)
FeeReliefFilter = _by_compound_and_household(FeeRelief)


class CommonItemFilter(FilterSet):
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = CommonItem
        fields = ["compound", "status", "kind"]


class MonthlyStatementFilter(FilterSet):
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = MonthlyStatement
        fields = ["compound", "year", "month"]
