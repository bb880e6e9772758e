"""The evaluation's rules without a database: indicator values, placement at its thresholds, stars."""

from decimal import Decimal
from fractions import Fraction

from rankings.models import Indicator, Placement
from rankings.rules import DEFAULT_WEIGHTS, PlacementRules, compound_score, indicator_values, place, stars_for

D = Decimal
RULES = PlacementRules()


def test_red_needs_the_top_share_and_90_black_is_below_60():
    # ten firms: the top 10% is one place
    scores = [D("90.00"), D("89.99"), D("75"), D("70"), D("65"), D("61"), D("60.00"), D("59.99"), D("30"), D("10")]
    placed = place([(i, s, False) for i, s in enumerate(scores)], RULES)
    assert [placed[i][1] for i in range(10)] == [
        Placement.RED, "", "", "", "", "", "", Placement.BLACK, Placement.BLACK, Placement.BLACK]
    assert [placed[i][0] for i in range(10)] == list(range(1, 11))


def test_the_best_firm_below_90_is_not_red_and_a_veto_is_black_whatever_the_score():
    placed = place([(1, D("89.99"), False), (2, D("80"), False), (3, D("99"), True)], RULES)
    assert placed[1] == (2, "") and placed[3] == (1, Placement.BLACK)


def test_the_red_share_rounds_up_and_ties_at_the_last_red_place_are_all_red():
    placed = place([(1, D("95"), False), (2, D("95"), False), (3, D("91"), False), (4, D("50"), False)], RULES)
    assert placed[1] == (1, Placement.RED) and placed[2] == (1, Placement.RED)
    assert placed[3] == (2, "") and placed[4] == (3, Placement.BLACK)
    assert place([(7, D("92"), False)], RULES)[7] == (1, Placement.RED)  # one firm: ceil(0.1) = one red place


def test_district_rules_change_the_thresholds():
    strict = PlacementRules(red_share=D("0.5"), red_min_score=D("95"), black_below=D("70"))
    placed = place([(1, D("94.99"), False), (2, D("69.99"), False)], strict)
    assert placed[1][1] == "" and placed[2][1] == Placement.BLACK


def test_stars_at_their_floors_and_a_black_listing_caps_them():
    assert [stars_for(D(s), 0) for s in ("90", "89.99", "80", "70", "60", "59.99")] == [5, 4, 4, 3, 2, 1]
    assert stars_for(D("95"), 1) == 2 and stars_for(D("50"), 1) == 1


def test_indicator_values_map_ratings_and_shares_to_100():
    values = indicator_values(
        petitions={"counted": 4, "resolved": 3, "on_time": 2, "rated": 2, "rating_sum": 9},
        survey={"answers": 4, "score_sum": 20}, coverage="instructor", appraisals={Indicator.STREET: D("88")},
    )
    assert values[Indicator.PETITION_RATING] == Fraction(175, 2)  # ratings 4 and 5 → 75 and 100
    assert values[Indicator.SURVEY] == 100
    assert values[Indicator.RESOLUTION] == 75 and values[Indicator.TIMELINESS] == Fraction(200, 3)
    assert values[Indicator.PARTY_BUILDING] == 60
    assert values[Indicator.COMMUNITY] is None and values[Indicator.FEE_COLLECTION] is None


def test_without_petitions_or_answers_only_what_exists_counts_and_fees_are_said_to_be_spread():
    values = indicator_values(petitions=None, survey=None, coverage=None, appraisals={Indicator.COMMUNITY: D("80")})
    score, breakdown = compound_score(values, DEFAULT_WEIGHTS)
    # party building 0 (weight 10) and community 80 (weight 10): 40.00
    assert score == D("40.00")
    assert "fee_collection" in breakdown["spread"] and "ledger" in breakdown["note"]
    assert breakdown["rounding"] == "half up to 2 decimals"
