"""Weighted indicators: one score out of several indicator values and their configured weights.

Pure arithmetic, no database: the firms' quarterly evaluation (rankings) uses it, and so will the compounds'
strength index of the dashboards. Values are on a 0–100 scale. An indicator without a value (its data does not
exist yet, e.g. fee collection before the ledger) does not count as zero: its weight is spread over the other
indicators in proportion to their weights, and the breakdown says so.

Arithmetic is exact (Fraction) until the end; the score is rounded once, half up, to `places` decimals, and each
part's contribution is shown rounded the same way (the parts' rounded figures may differ from the score by the
last digit; the score is never the sum of rounded parts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ROUNDING = ROUND_HALF_UP


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded half up to `places` decimals."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUNDING) \
        if value.denominator != 1 else Decimal(value.numerator).quantize(quantum)


@dataclass(frozen=True)
class Part:
    code: str
    value: Fraction | None  # None: no data, weight spread over the others
    weight: Fraction  # as configured
    effective_weight: Fraction  # share of the score after spreading, the effective weights sum to 1

    @property
    def contribution(self) -> Fraction:
        return self.effective_weight * self.value if self.value is not None else Fraction(0)


@dataclass(frozen=True)
class Weighted:
    score: Decimal
    parts: tuple[Part, ...]
    places: int

    @property
    def spread(self) -> tuple[str, ...]:
        """Codes of the indicators without data whose weight was spread over the others."""
        return tuple(p.code for p in self.parts if p.value is None and p.weight)

    def breakdown(self) -> dict:
        """A JSON-ready record of how the score was made (decimals as strings)."""
        return {
            "score": str(self.score),
            "rounding": f"half up to {self.places} decimals",
            "spread": list(self.spread),
            "parts": [
                {
                    "code": p.code,
                    "value": None if p.value is None else str(to_decimal(p.value, self.places)),
                    "weight": str(to_decimal(p.weight, 4)),
                    "effective_weight": str(to_decimal(p.effective_weight, 4)),
                    "contribution": str(to_decimal(p.contribution, self.places)),
                }
                for p in self.parts
            ],
        }


def _fraction(value) -> Fraction:
    if isinstance(value, float):
        raise TypeError("weighted: use Decimal, int or Fraction, not float")
    return Fraction(value)


def weighted_score(values: Mapping[str, object], weights: Mapping[str, object], *, places: int = 2) -> Weighted:
    """The weighted mean of `values` (code → 0–100 value or None) under `weights` (code → non-negative weight).

    Indicators missing from `values` or None count as without data. Raises ValueError when no weighted
    indicator has data or a weight is negative."""
    fractions = {code: _fraction(w) for code, w in weights.items()}
    if any(w < 0 for w in fractions.values()):
        raise ValueError("weights must not be negative")
    known = {code: _fraction(values[code]) for code in fractions if values.get(code) is not None}
    total = sum((fractions[code] for code in known), Fraction(0))
    if total == 0:
        raise ValueError("no weighted indicator has a value")
    parts = tuple(
        Part(code=code, value=known.get(code), weight=weight,
             effective_weight=weight / total if code in known else Fraction(0))
        for code, weight in fractions.items()
    )
    exact = sum((p.contribution for p in parts), Fraction(0))
    return Weighted(score=to_decimal(exact, places), parts=parts, places=places)
