"""The decision rules at and around every threshold, and properties of the tally (hypothesis)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.tally import Counts, exact, passes, quorum_reached, result


def counts(n, area, a=0, aa=0, o=0, oa=0, b=0, ba=0):
    return Counts(eligible_heads=n, eligible_area=exact(area), approve_heads=a, approve_area=exact(aa),
                  oppose_heads=o, oppose_area=exact(oa), abstain_heads=b, abstain_area=exact(ba))


# --- rule_5030: approval above 50% and opposition below 30% of the eligible, by head -----------------------------

@pytest.mark.parametrize("approve,oppose,want", [
    (50, 0, False),    # exactly 50% is not above 50%
    (51, 0, True),
    (51, 29, True),
    (51, 30, False),   # exactly 30% is not below 30%
    (49, 0, False),
    (70, 30, False),
])
def test_rule_5030_at_its_thresholds(approve, oppose, want):
    assert passes("rule_5030", counts(100, 10000, a=approve, o=oppose)) is want


def test_rule_5030_counts_the_eligible_not_the_participants():
    # given 10 of 100 eligible take part, all approving, when tallied, then it fails: 10% is not above half
    assert not passes("rule_5030", counts(100, 10000, a=10, aa=1000))


def test_rule_5030_with_odd_electorate():
    # 3 eligible: 2 approvals are 66.7% (> 50%), 1 opposition is 33.3% (not < 30%)
    assert not passes("rule_5030", counts(3, 300, a=2, o=1))
    assert passes("rule_5030", counts(3, 300, a=2, b=1))


# --- Civil Code art. 278: participation 2/3 by area and by head -------------------------------------------------

@pytest.mark.parametrize("heads,area,want", [
    (20, "200", True),     # exactly 2/3 by head and exactly 2/3 by area
    (19, "200", False),    # one head short
    (20, "199.99", False),  # one hundredth of a m² short
    (21, "200.01", True),
])
def test_participation_at_exactly_two_thirds(heads, area, want):
    c = counts(30, "300", a=heads, aa=area)
    assert quorum_reached(c) is want
    assert passes("civil_code_ordinary", c) is want


def test_two_thirds_of_an_area_that_is_not_a_multiple_of_three():
    # 2/3 of 100.01 m² is 66.6733… m²: 66.67 is short, 66.68 is enough — no float rounding either way
    assert not quorum_reached(counts(3, "100.01", a=2, aa="66.67"))
    assert quorum_reached(counts(3, "100.01", a=2, aa="66.68"))


@pytest.mark.parametrize("approve,approve_area,want", [
    (10, "100", False),  # exactly half of the participants by head and area: not more than half
    (11, "100", False),  # more than half by head only
    (10, "100.01", False),  # more than half by area only
    (11, "100.01", True),
])
def test_ordinary_majority_at_exactly_one_half(approve, approve_area, want):
    c = counts(30, "300", a=approve, aa=approve_area, o=20 - approve, oa=exact("200") - exact(approve_area))
    assert passes("civil_code_ordinary", c) is want


@pytest.mark.parametrize("approve,approve_area,want", [
    (15, "150", True),     # exactly 3/4 by head and by area: at least 3/4 passes
    (14, "150", False),
    (15, "149.99", False),
    (16, "160", True),
])
def test_special_majority_at_exactly_three_quarters(approve, approve_area, want):
    c = counts(24, "240", a=approve, aa=approve_area, o=20 - approve, oa=exact("200") - exact(approve_area))
    assert passes("civil_code_special", c) is want


def test_special_majority_needs_the_quorum_too():
    # all approve, but only 15 of 24 took part (< 2/3)
    assert not passes("civil_code_special", counts(24, "240", a=15, aa="150"))


def test_abstentions_take_part_but_do_not_approve():
    # 20 of 30 take part (quorum), 11 approve and 9 abstain: more than half of the participants
    assert passes("civil_code_ordinary", counts(30, "300", a=11, aa="110", b=9, ba="90"))
    assert not passes("civil_code_ordinary", counts(30, "300", a=10, aa="110", b=10, ba="90"))


def test_simple_majority():
    assert passes("simple_majority", counts(100, 1, a=3, o=2))
    assert not passes("simple_majority", counts(100, 1, a=2, o=1, b=1))
    assert not passes("simple_majority", counts(100, 1))


def test_result_is_pending_until_closed():
    c = counts(3, 300, a=3, aa=300)
    assert result("rule_5030", c, closed=False) == "pending"
    assert result("rule_5030", c, closed=True) == "passed"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        exact(0.1)


def test_counts_survive_storage_exactly():
    c = counts(7, "1234.57", a=3, aa="500.01", o=2, oa="300.33", b=1, ba="0.01")
    assert Counts.from_json(c.as_json()) == c


# --- properties --------------------------------------------------------------------------------------------------

RULES = ["rule_5030", "civil_code_ordinary", "civil_code_special", "simple_majority"]


@st.composite
def electorates(draw):
    """Random electorates with a random ballot per voter (or none); areas in hundredths of a m²."""
    n = draw(st.integers(min_value=1, max_value=40))
    areas = draw(st.lists(st.integers(min_value=1, max_value=50000), min_size=n, max_size=n))
    choices = draw(st.lists(st.sampled_from([None, "approve", "oppose", "abstain"]), min_size=n, max_size=n))
    return [(Fraction(a, 100), c) for a, c in zip(areas, choices, strict=True)]


def tally_of(voters) -> Counts:
    heads = {k: 0 for k in ("approve", "oppose", "abstain")}
    area = {k: Fraction(0) for k in heads}
    for a, c in voters:
        if c:
            heads[c] += 1
            area[c] += a
    return Counts(eligible_heads=len(voters), eligible_area=sum((a for a, _c in voters), Fraction(0)),
                  approve_heads=heads["approve"], approve_area=area["approve"],
                  oppose_heads=heads["oppose"], oppose_area=area["oppose"],
                  abstain_heads=heads["abstain"], abstain_area=area["abstain"])


def reference(rule, c: Counts) -> bool:
    """A second, deliberately plain statement of the rules as ratios of Fractions."""
    ph, pa = c.participating_heads, c.participating_area
    quorum = Fraction(ph, c.eligible_heads) >= Fraction(2, 3) and pa / c.eligible_area >= Fraction(2, 3)
    if rule == "rule_5030":
        return Fraction(c.approve_heads, c.eligible_heads) > Fraction(1, 2) and \
            Fraction(c.oppose_heads, c.eligible_heads) < Fraction(3, 10)
    if rule == "simple_majority":
        return ph > 0 and Fraction(c.approve_heads, ph) > Fraction(1, 2)
    if not quorum or ph == 0:
        return False
    share_h, share_a = Fraction(c.approve_heads, ph), c.approve_area / pa
    if rule == "civil_code_ordinary":
        return share_h > Fraction(1, 2) and share_a > Fraction(1, 2)
    return share_h >= Fraction(3, 4) and share_a >= Fraction(3, 4)


@settings(deadline=None)
@given(electorates(), st.sampled_from(RULES))
def test_tally_agrees_with_a_plain_statement_of_the_rules(voters, rule):
    c = tally_of(voters)
    assert passes(rule, c) is reference(rule, c)


@settings(deadline=None)
@given(electorates(), st.sampled_from(RULES), st.data())
def test_turning_a_ballot_into_approval_never_makes_a_passed_vote_fail(voters, rule, data):
    others = [i for i, (_a, c) in enumerate(voters) if c in ("oppose", "abstain", None)]
    if not others:
        return
    index = data.draw(st.sampled_from(others))
    before = passes(rule, tally_of(voters))
    voters[index] = (voters[index][0], "approve")
    assert passes(rule, tally_of(voters)) or not before


@settings(deadline=None)
@given(electorates())
def test_a_special_majority_is_also_an_ordinary_one(voters):
    c = tally_of(voters)
    if passes("civil_code_special", c):
        assert passes("civil_code_ordinary", c)


@settings(deadline=None)
@given(electorates(), st.sampled_from(RULES), st.integers(min_value=2, max_value=1000))
def test_the_decision_does_not_depend_on_the_unit_of_area(voters, rule, k):
    c = tally_of(voters)
    scaled = tally_of([(a * k, choice) for a, choice in voters])
    assert passes(rule, c) is passes(rule, scaled)


@settings(deadline=None)
@given(electorates(), st.sampled_from(RULES))
def test_the_order_of_ballots_does_not_matter(voters, rule):
    assert passes(rule, tally_of(voters)) is passes(rule, tally_of(list(reversed(voters))))


@settings(deadline=None)
@given(electorates())
def test_the_civil_code_rules_never_pass_without_the_quorum(voters):
    c = tally_of(voters)
    if not quorum_reached(c):
        assert not passes("civil_code_ordinary", c) and not passes("civil_code_special", c)
