"""The weighted-indicator arithmetic shared by firm evaluation and the strength index: exact, rounded once."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.weighted import to_decimal, weighted_score


def test_weighted_mean_of_two_indicators():
    result = weighted_score({"a": Decimal("90"), "b": Decimal("60")}, {"a": 3, "b": 1})
    assert result.score == Decimal("82.50")
    assert result.spread == ()


def test_an_indicator_without_data_spreads_its_weight_in_proportion():
    # given fee collection without data, its 20 is spread 3:1 over a and b
    result = weighted_score({"a": Decimal("90"), "b": Decimal("60"), "fee": None}, {"a": 60, "b": 20, "fee": 20})
    assert result.score == Decimal("82.50")
    assert result.spread == ("fee",)
    parts = {p["code"]: p for p in result.breakdown()["parts"]}
    assert parts["a"]["effective_weight"] == "0.7500"
    assert parts["fee"]["value"] is None and parts["fee"]["contribution"] == "0.00"
    assert result.breakdown()["spread"] == ["fee"]


def test_rounds_half_up_once_at_the_end():
    # 1/3 * 89.995 + 2/3 * 89.995 = 89.995 exactly: half up gives 90.00, never 89.99
    assert weighted_score({"a": Decimal("89.995"), "b": Decimal("89.995")}, {"a": 1, "b": 2}).score == Decimal("90.00")
    assert to_decimal(Fraction(179999, 2000)) == Decimal("90.00")  # 89.9995
    assert to_decimal(Fraction(1199, 20)) == Decimal("59.95")


def test_refuses_floats_negative_weights_and_nothing_to_weigh():
    with pytest.raises(TypeError):
        weighted_score({"a": 90.0}, {"a": 1})
    with pytest.raises(ValueError):
        weighted_score({"a": 90}, {"a": -1})
    with pytest.raises(ValueError):
        weighted_score({"a": None}, {"a": 1})


values = st.decimals(min_value=0, max_value=100, places=2)


@given(st.dictionaries(st.sampled_from("abcdef"), st.tuples(st.one_of(st.none(), values),
                                                             st.integers(min_value=0, max_value=50)), min_size=1))
def test_score_lies_between_the_smallest_and_largest_weighted_value(rows):
    weights = {k: w for k, (_v, w) in rows.items()}
    vals = {k: v for k, (v, _w) in rows.items()}
    counted = [v for k, v in vals.items() if v is not None and weights[k]]
    if not counted:
        with pytest.raises(ValueError):
            weighted_score(vals, weights)
        return
    result = weighted_score(vals, weights)
    assert min(counted) <= result.score <= max(counted)
    assert sum(p.effective_weight for p in result.parts) == 1
    # the same inputs give the same answer (recompute == stored)
    assert weighted_score(vals, weights).breakdown() == result.breakdown()
