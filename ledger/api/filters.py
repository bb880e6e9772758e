"""Filters by id only: a choice list would show what lies outside the user's scope."""

import django_filters as filters

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


class AccountFilter(filters.FilterSet):
    compound = filters.NumberFilter(field_name="compound_id")
    household = filters.NumberFilter(field_name="household_id")

    class Meta:
        model = Account
        fields = ["compound", "household", "kind"]


class TransactionFilter(filters.FilterSet):
    compound = filters.NumberFilter(field_name="compound_id")
    application = filters.NumberFilter(field_name="application_id")

    class Meta:
        model = Transaction
        fields = ["compound", "kind", "application"]


class PeriodFilter(filters.FilterSet):
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = Period
        fields = ["compound", "status"]


class FundApplicationFilter(filters.FilterSet):
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = FundApplication
        fields = ["compound", "status"]


def _by_compound_and_household(model_):
    attrs = {
        "compound": filters.NumberFilter(field_name="compound_id"),
        "household": filters.NumberFilter(field_name="household_id"),
        "Meta": type("Meta", (), {"model": model_, "fields": ["compound", "household"]}),
    }
    return type(f"{model_.__name__}Filter", (filters.FilterSet,), attrs)


FeeBillFilter = _by_compound_and_household(FeeBill)
FeePaymentFilter = _by_compound_and_household(FeePayment)
FeeReliefFilter = _by_compound_and_household(FeeRelief)


class CommonItemFilter(filters.FilterSet):
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = CommonItem
        fields = ["compound", "status", "kind"]


class MonthlyStatementFilter(filters.FilterSet):
    compound = filters.NumberFilter(field_name="compound_id")

    class Meta:
        model = MonthlyStatement
        fields = ["compound", "year", "month"]
