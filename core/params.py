"""Strict parsing of numbers in query parameters.

`str.isdigit()` accepts `²` and `int()` accepts `٣`, `" 3 "`, `"+3"` and `"3_000"`: a query parameter that is a
number is ASCII digits only, within bounds, or the request is a 400 that names the parameter."""

import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

BIGINT_MAX = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(raw: str, *, name: str, minimum: int = 1, maximum: int = BIGINT_MAX) -> int:
    """The value of query parameter `name` as an int in [minimum, maximum], or a 400 naming the parameter."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        raise ValidationError({name: [_("Give a whole number written with the digits 0-9.")]})
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ValidationError({name: [_("Give a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}]})
    return value


def optional_int(params, name: str, **bounds) -> int | None:
    """`parse_int` of an optional query parameter: None when it is absent."""
    raw = params.get(name)
    return None if raw is None else parse_int(raw, name=name, **bounds)
