"""The evaluation's rules as pure functions over figures already read: indicator values, list placement and
stars. No database here, so the thresholds are tested directly and the set-based computation stays a few
queries around them."""

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.weighted import to_decimal, weighted_score
from rankings.models import Indicator, Placement

# Defaults from the case reports: satisfaction (ratings and the survey) weighs most, then the handling of
# petitions, the appraisals, party building and fees. The district may change them (EvaluationRules).
DEFAULT_WEIGHTS = {
    Indicator.PETITION_RATING: Decimal("15"), Indicator.SURVEY: Decimal("15"), Indicator.TIMELINESS: Decimal("10"), Indicator.RESOLUTION: Decimal("10"),
    Indicator.PARTY_BUILDING: Decimal("10"), Indicator.COMMUNITY: Decimal("10"), Indicator.STREET: Decimal("10"), Indicator.COMMITTEE: Decimal("10"),
    Indicator.FEE_COLLECTION: Decimal("10"),
}
# Party coverage forms and what they count for (双覆盖): a branch of its own or shared counts whole, an
# instructor (a first step) for 60.
COVERAGE_VALUE = {"standalone": 100, "joint": 100, "affiliated": 100, "instructor": 60}
# Annual stars from the year's mean score; a black listing in the year caps the stars at 2.
STAR_FLOORS = ((Decimal("90"), 5), (Decimal("80"), 4), (Decimal("70"), 3), (Decimal("60"), 2))
BLACK_CAP = 2


# A weight's precision, the same at every door (the admin's form, the API, a stored row): at most four decimal
# places and five whole digits (what the API shows back, NUMERIC(9, 4)).
WEIGHT_PLACES = 4
WEIGHT_WHOLE_DIGITS = 5


def _places(weight: Decimal) -> tuple[int, int]:
    """(whole digits, decimal places) of a finite Decimal, trailing zeros of the fraction not counted."""
    _sign, digits, exponent = weight.normalize().as_tuple()
    if exponent >= 0:
        return len(digits) + exponent, 0
    return max(len(digits) + exponent, 0), -exponent


def parse_weights(raw) -> dict[str, Decimal]:
    """A district's indicator weights as Decimals, from what is stored or typed (code → an integer, a Decimal or
    a decimal string; never a float, which would carry binary rounding into the scores). The rules: known
    indicator codes only, each weight a finite number ≥ 0 of at most four decimal places and five whole digits,
    and a positive sum outside fee collection (its weight is spread over the others until the ledger gives it
    data, so they must weigh something). Weights are of any scale: only their proportions count. Raises
    ValidationError with the reason: the one rule and the same messages for the admin's form and the API."""
    if not isinstance(raw, dict) or not raw:
        raise ValidationError(_("Give the weights as an object of indicator code → weight."), code="shape")
    unknown = sorted(set(raw) - set(Indicator.values))
    if unknown:
        raise ValidationError(_("Unknown indicators: %(codes)s. Known: %(known)s.") % {
            "codes": ", ".join(map(str, unknown)), "known": ", ".join(Indicator.values)}, code="unknown")
    weights = {}
    for code, value in raw.items():
        if isinstance(value, bool | float) or not isinstance(value, int | Decimal | str):
            raise ValidationError(_("The weight of %(code)s must be a decimal number, e.g. 10 or 12.5.")
                                  % {"code": code}, code="type")
        try:
            weight = Decimal(str(value).strip())
        except InvalidOperation:
            weight = None
        if weight is None or not weight.is_finite():
            raise ValidationError(_("The weight of %(code)s must be a decimal number, e.g. 10 or 12.5.")
                                  % {"code": code}, code="type")
        if weight < 0:
            raise ValidationError(_("The weight of %(code)s must not be negative.") % {"code": code},
                                  code="negative")
        whole, places = _places(weight)
        if places > WEIGHT_PLACES:
            raise ValidationError(_("The weight of %(code)s may have at most %(n)s decimal places.")
                                  % {"code": code, "n": WEIGHT_PLACES}, code="places")
        if whole > WEIGHT_WHOLE_DIGITS:
            raise ValidationError(_("The weight of %(code)s must be less than %(limit)s.")
                                  % {"code": code, "limit": 10 ** WEIGHT_WHOLE_DIGITS}, code="size")
        weights[code] = weight
    if sum(w for code, w in weights.items() if code != Indicator.FEE_COLLECTION) <= 0:
        raise ValidationError(_("The weights of the indicators other than fee collection must add up to more "
                                "than zero."), code="sum")
    return weights


def weights_json(weights: dict[str, Decimal]) -> dict[str, str]:
    """Weights as stored: decimal strings, read back exactly by parse_weights."""
    return {code: str(weight) for code, weight in weights.items()}


@dataclass(frozen=True)
class PlacementRules:
    red_share: Decimal = Decimal("0.100")
    red_min_score: Decimal = Decimal("90")
    black_below: Decimal = Decimal("60")


def _share(part, whole) -> Fraction | None:
    return Fraction(100 * part, whole) if whole else None


def indicator_values(*, petitions: dict | None, survey: dict | None, coverage: str | None,
                     appraisals: dict) -> dict:
    """Each indicator's 0–100 value for one firm in one compound, None where there is no data (no petitions, no
    answers, no appraisal yet, fee collection until the ledger exists): a rating or a survey answer of 1–5 maps
    to 0–100 as (x − 1) × 25."""
    petitions = petitions or {}
    rated, counted, resolved = petitions.get("rated", 0), petitions.get("counted", 0), petitions.get("resolved", 0)
    answers = (survey or {}).get("answers", 0)
    return {
        Indicator.PETITION_RATING: Fraction(25 * (petitions["rating_sum"] - rated), rated) if rated else None,
        Indicator.SURVEY: Fraction(25 * (survey["score_sum"] - answers), answers) if answers else None,
        Indicator.TIMELINESS: _share(petitions.get("on_time", 0), resolved),
        Indicator.RESOLUTION: _share(resolved, counted),
        Indicator.PARTY_BUILDING: Fraction(COVERAGE_VALUE.get(coverage, 0)),
        Indicator.COMMUNITY: appraisals.get(Indicator.COMMUNITY),
        Indicator.STREET: appraisals.get(Indicator.STREET),
        Indicator.COMMITTEE: appraisals.get(Indicator.COMMITTEE),
        Indicator.FEE_COLLECTION: None,  # the ledger's collection rate, once the ledger exists
    }


def compound_score(values: dict, weights: dict) -> tuple[Decimal, dict]:
    """(score, breakdown) of one firm in one compound: the weighted mean, half up to 2 decimals."""
    result = weighted_score(values, weights)
    breakdown = result.breakdown()
    if Indicator.FEE_COLLECTION in result.spread:
        breakdown["note"] = "fee collection has no data until the ledger exists; its weight is spread over the others"
    return result.score, breakdown


def firm_score(compound_scores: list[Decimal]) -> Decimal:
    """A firm's period score: the plain mean of its compound scores, half up to 2 decimals."""
    return to_decimal(sum((Fraction(s) for s in compound_scores), Fraction(0)) / len(compound_scores))


def place(results: list[tuple[int, Decimal, bool]], rules: PlacementRules) -> dict[int, tuple[int, str]]:
    """{firm id: (rank, placement)} for [(firm id, score, vetoed)]. Black: below `black_below`, or vetoed
    whatever the score. Red: among the top `red_share` of the ranked firms (rounded up, so a district of four
    firms has one red place; firms tied with the last red place are all in), not black, and at least
    `red_min_score`. Ranks are dense by score, ties share a rank."""
    ordered = sorted(results, key=lambda r: (-r[1], r[0]))
    red_places = math.ceil(len(ordered) * rules.red_share) if ordered else 0
    cutoff = ordered[red_places - 1][1] if red_places else None
    out, rank, previous = {}, 0, None
    for firm_id, score, vetoed in ordered:
        if score != previous:
            rank, previous = rank + 1, score
        if vetoed or score < rules.black_below:
            placement = Placement.BLACK
        elif cutoff is not None and score >= cutoff and score >= rules.red_min_score:
            placement = Placement.RED
        else:
            placement = Placement.NONE
        out[firm_id] = (rank, placement)
    return out


def stars_for(mean: Decimal, black_listings: int) -> int:
    stars = next((s for floor, s in STAR_FLOORS if mean >= floor), 1)
    return min(stars, BLACK_CAP) if black_listings else stars
