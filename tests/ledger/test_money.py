"""Amounts people type and shares of a cost: exact to the fen, refused with a field message otherwise."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ledger.money import apportion, parse_amount, times


@pytest.mark.parametrize("value, expected", [
    ("1250.50", Decimal("1250.50")), ("7", Decimal("7.00")), (12, Decimal("12.00")),
    (Decimal("3.10"), Decimal("3.10")), ("  9.9 ", Decimal("9.90")), ("1.500", Decimal("1.50")),
])
def test_parse_amount_takes_yuan_with_at_most_two_decimals(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("value, message", [
    ("-5", "greater than zero"), ("0", "greater than zero"), ("0.00", "greater than zero"),
    ("1.005", "two decimal places"), ("abc", "number of yuan"), ("", "number of yuan"), (1.5, "number of yuan"),
    ("１２", "number of yuan"), ("NaN", "number of yuan"), ("1e3", "number of yuan"), (None, "number of yuan"),
    (True, "number of yuan"), (Decimal("Infinity"), "number of yuan"), ("1234567890123", "number of yuan"),
])
def test_parse_amount_refuses_bad_amounts_with_a_field_message(value, message):
    with pytest.raises(ValidationError) as exc:
        parse_amount(value, field="price")
    assert message in exc.value.message_dict["price"][0]


def test_deposit_by_area_rounds_half_up_to_the_fen():
    assert times(Decimal("89.55"), Decimal("0.15")) == Decimal("13.43")  # 13.4325
    assert times(Decimal("10.10"), Decimal("0.25")) == Decimal("2.53")  # 2.525


def test_apportion_gives_the_remainder_fen_to_the_largest_fractions_then_the_smallest_key():
    assert apportion(Decimal("1.00"), {3: 1, 1: 1, 2: 1}) == {1: Decimal("0.34"), 2: Decimal("0.33"),
                                                              3: Decimal("0.33")}
    assert apportion(Decimal("10.00"), {1: Decimal("89.50"), 2: Decimal("0")}) == {1: Decimal("10.00"),
                                                                                 2: Decimal("0.00")}


@given(
    cents=st.integers(min_value=1, max_value=10**12),
    areas=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2),
                   min_size=1, max_size=30),
)
def test_apportion_sums_exactly_and_each_share_is_within_a_fen_of_its_proportion(cents, areas):
    total = Decimal(cents) / 100
    weights = dict(enumerate(areas))
    shares = apportion(total, weights)
    assert sum(shares.values()) == total
    whole = sum(areas)
    for key, share in shares.items():
        assert share == share.quantize(Decimal("0.01"))
        assert abs(share - total * weights[key] / whole) < Decimal("0.01")
    assert apportion(total, weights) == shares  # deterministic
