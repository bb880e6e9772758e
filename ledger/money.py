"""Money as exact Decimal yuan: parsing what people type, and sharing a sum out by weights to the cent."""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ledger.models import CENT

# ASCII digits only: Decimal() would also take full-width and other scripts' digits.
_AMOUNT = re.compile(r"^\s*(\d{1,12})(?:\.(\d{1,2})0*)?\s*$", re.ASCII)
_AMOUNT_MANY_DECIMALS = re.compile(r"^\s*\d+\.\d{3,}\s*$", re.ASCII)


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """A positive amount of yuan with at most two decimals (fen), as a Decimal; a ValidationError naming
    `field` for anything else (negative, zero, too many decimals, not a number, a float)."""
    if isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() else "x"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        # Floats are refused: 0.1 + 0.2 is not 0.3, and money must be exact.
        raise ValidationError({field: _("Enter the amount as a number of yuan, e.g. 1250.50.")})
    stripped = text.strip()
    if stripped.startswith("-"):
        raise ValidationError({field: _("Enter an amount greater than zero.")})
    match = _AMOUNT.match(text)
    if not match:
        if _AMOUNT_MANY_DECIMALS.match(text):
            raise ValidationError({field: _("Enter at most two decimal places (fen).")})
        raise ValidationError({field: _("Enter the amount as a number of yuan, e.g. 1250.50.")})
    amount = Decimal(match.group(1) + "." + (match.group(2) or "0")).quantize(CENT)
    if amount <= 0:
        raise ValidationError({field: _("Enter an amount greater than zero.")})
    return amount


def times(area: Decimal, rate: Decimal) -> Decimal:
    """Floor area × a rate per m², rounded half up to the fen."""
    return (Decimal(area) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def apportion(total: Decimal, weights: dict) -> dict:
    """`total` shared out over the keys of `weights` in proportion to them, in whole fen, summing exactly to
    `total` (largest remainder: the fen left after rounding down go to the largest fractions, ties to the
    smallest key, so the same input always gives the same shares). Keys with zero weight get zero."""
    cents = int((Decimal(total) / CENT).to_integral_value())
    if Decimal(cents) * CENT != Decimal(total):
        raise ValueError("total must be whole fen")
    exact = {key: Fraction(Decimal(w)) for key, w in weights.items()}
    whole = sum(exact.values(), Fraction(0))
    if whole <= 0 or any(w < 0 for w in exact.values()):
        raise ValueError("weights must be non-negative with a positive sum")
    raw = {key: Fraction(cents) * w / whole for key, w in exact.items()}
    shares = {key: value.numerator // value.denominator for key, value in raw.items()}
    left = cents - sum(shares.values())
    for key in sorted(raw, key=lambda k: (-(raw[k] - shares[k]), k))[:left]:
        shares[key] += 1
    return {key: Decimal(share) * CENT for key, share in shares.items()}
