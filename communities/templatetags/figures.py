"""Figures for people: `{{ share|percent }}` shows a share kept as 0–1 (a decimal string, Decimal or float, as
the selectors give it) as a percentage with one decimal, "8.3%"; empty stays "—"."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, places: int = 1) -> str:
    if value is None or value == "":
        return "—"
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{number_format(share * 100, int(places))}%"
