"""How a dashboard cell is shown: shares as percentages, money with thousands separators, none as a dash."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def cell(value, fmt):
    if value is None or value == "":
        return "—"
    if fmt == "pct":
        return f"{float(value) * 100:.1f}%"
    if fmt == "money":
        return f"{Decimal(value):,.2f}"
    if fmt == "int":
        return f"{int(value):,}"
    if fmt == "num":
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return value


@register.filter
def pct(value):
    return cell(value, "pct")


@register.filter
def zip_links(rows, links):
    return zip(rows, links or [None] * len(rows), strict=False)


@register.filter
def cells(row, columns):
    return [(value, fmt) for value, (_heading, fmt) in zip(row, columns, strict=False)]


@register.filter
def get(mapping, key):
    return mapping.get(key)
