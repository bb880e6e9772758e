"""The decision rules of a vote as pure functions over counts, in exact rational arithmetic.

Areas are `fractions.Fraction` (a Decimal converts exactly), head counts are integers, and every threshold is
compared by cross-multiplication, so "exactly two thirds" is two thirds and never 0.6666… rounded either way.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

RULES = ("rule_5030", "civil_code_ordinary", "civil_code_special", "simple_majority")


def exact(value) -> Fraction:
    """An exact Fraction from an int, a Decimal, a Fraction or a decimal string (never a float)."""
    if isinstance(value, float):
        raise TypeError("areas must not be floats")
    if isinstance(value, str):
        value = Decimal(value)
    return Fraction(value)


@dataclass(frozen=True)
class Counts:
    """The electorate and the ballots of one vote, by head and by area."""

    eligible_heads: int
    eligible_area: Fraction
    approve_heads: int = 0
    approve_area: Fraction = Fraction(0)
    oppose_heads: int = 0
    oppose_area: Fraction = Fraction(0)
    abstain_heads: int = 0
    abstain_area: Fraction = Fraction(0)

    @property
    def participating_heads(self) -> int:
        return self.approve_heads + self.oppose_heads + self.abstain_heads

    @property
    def participating_area(self) -> Fraction:
        return exact(self.approve_area) + exact(self.oppose_area) + exact(self.abstain_area)

    def as_json(self) -> dict:
        """Counts for storage and the API: heads as integers, areas as exact decimal strings (2 places)."""
        def area(value):
            value = exact(value)
            decimal = Decimal(value.numerator) / Decimal(value.denominator)
            return str(decimal.quantize(Decimal("0.01")) if 100 % value.denominator == 0 else decimal)

        return {
            "eligible_heads": self.eligible_heads, "eligible_area": area(self.eligible_area),
            "approve_heads": self.approve_heads, "approve_area": area(self.approve_area),
            "oppose_heads": self.oppose_heads, "oppose_area": area(self.oppose_area),
            "abstain_heads": self.abstain_heads, "abstain_area": area(self.abstain_area),
            "participating_heads": self.participating_heads, "participating_area": area(self.participating_area),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Counts":
        return cls(**{
            k: (exact(v) if k.endswith("_area") else int(v))
            for k, v in data.items() if not k.startswith("participating_")
        })


def quorum_reached(c: Counts) -> bool:
    """Civil Code art. 278: owners holding at least 2/3 of the area and at least 2/3 of the owners take part."""
    return (
        c.eligible_heads > 0
        and 3 * c.participating_heads >= 2 * c.eligible_heads
        and 3 * c.participating_area >= 2 * exact(c.eligible_area)
    )


def passes(rule: str, c: Counts) -> bool:
    """Whether the counts carry the decision under the rule."""
    if rule == "rule_5030":
        # Approval above 50% and opposition below 30% of all eligible voters (by head).
        return 2 * c.approve_heads > c.eligible_heads and 10 * c.oppose_heads < 3 * c.eligible_heads
    if rule == "civil_code_ordinary":
        return (
            quorum_reached(c)
            and 2 * exact(c.approve_area) > c.participating_area
            and 2 * c.approve_heads > c.participating_heads
        )
    if rule == "civil_code_special":
        return (
            quorum_reached(c)
            and 4 * exact(c.approve_area) >= 3 * c.participating_area
            and 4 * c.approve_heads >= 3 * c.participating_heads
        )
    if rule == "simple_majority":
        # More than half of those taking part approve (an abstention counts as taking part).
        return 2 * c.approve_heads > c.participating_heads
    raise ValueError(f"unknown rule {rule!r}")


def result(rule: str, c: Counts, *, closed: bool) -> str:
    """`pending` while the vote is open, then `passed` or `failed`."""
    if not closed:
        return "pending"
    return "passed" if passes(rule, c) else "failed"
