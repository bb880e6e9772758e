"""The strength index's indicators: for each, its dimension, what it measures, where the figure comes from, which
way is better, and its default weight. Pure definitions and arithmetic; the grouped queries are in figures.py.

Every value is on a 0–100 scale. None means the compound has no data for it (no owners' committee to cover, no
petitions in the year …): core.weighted then spreads the indicator's weight over the others rather than count it
as zero. A "lower is better" figure (the escalated share) is turned round as 100 − share, so that every value
reads "higher is better" inside the index. The year is the 365 days up to and including the index's date.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from communities.models import ManagementMode
from dashboards.models import Dimension, StrengthIndicator

K, D = StrengthIndicator, Dimension
HIGHER, LOWER = "higher", "lower"
DIRECTIONS = {HIGHER: _("Higher is better"), LOWER: _("Lower is better (counted as 100 − share)")}


@dataclass(frozen=True)
class Definition:
    code: str
    dimension: str
    definition: object
    source: object
    direction: str
    weight: Decimal

    @property
    def name(self):
        return StrengthIndicator(self.code).label

    @property
    def direction_label(self):
        return DIRECTIONS[self.direction]


def _d(code, dimension, definition, source, weight, direction=HIGHER):
    return Definition(code, dimension, definition, source, direction, Decimal(weight))


# Defaults: each dimension weighs 20 of 100, shared evenly among its indicators (satisfaction 7 + 7 + 6).
INDICATORS = [
    _d(K.PARTY_ORGANIZATION, D.LEADERSHIP, _("100 when the compound has a party organization of its own, else 0."),
       _("Party organizations (governance)"), "4"),
    _d(K.COMMITTEE_PARTY_COVERAGE, D.LEADERSHIP,
       _("100 when the owners' committee is covered by a party organization in any form, else 0; no data without "
         "a committee."), _("Party coverage of committees (governance)"), "4"),
    _d(K.COMMITTEE_PARTY_MEMBERS, D.LEADERSHIP,
       _("Share of party members among the owners' committee's members."), _("Committee members (governance)"),
       "4"),
    _d(K.BUILDING_HEADS, D.LEADERSHIP, _("Share of the compound's buildings with a building head."),
       _("Buildings (communities)"), "4"),
    _d(K.COMMISSIONER, D.LEADERSHIP, _("100 when a commissioner is assigned to the compound, else 0."),
       _("Role assignments (communities)"), "4"),
    _d(K.OWNERS_COMMITTEE, D.COHESION,
       _("100 when the compound has an owners' committee or an interim management committee, else 0."),
       _("Compound bodies (governance)"), "5"),
    _d(K.MEETINGS_HELD, D.COHESION,
       _("Meetings held in the year, against one a month: 12 or more is 100."), _("Meetings (governance)"), "5"),
    _d(K.VOTE_TURNOUT, D.COHESION,
       _("Ballots cast of the voters entitled, over the owners' votes closed in the year."),
       _("Votes, voters and ballots (governance)"), "5"),
    _d(K.ELECTRONIC_BALLOTS, D.COHESION, _("Share of the year's owners' ballots cast online."),
       _("Ballots (governance)"), "5"),
    _d(K.PARTY_FIRST_REVIEW, D.COORDINATION,
       _("Share of the major agenda items of the year's meetings that the party organization reviewed first."),
       _("Agenda items (governance)"), "4"),
    _d(K.CROSS_APPOINTMENT, D.COORDINATION,
       _("100 when a community committee member sits on the owners' committee (cross-appointment), else 0."),
       _("Cross-appointments (governance)"), "4"),
    _d(K.SETTLED_IN_COMPOUND, D.COORDINATION,
       _("Share of the year's resolved petitions settled inside the compound."), _("Petitions"), "4"),
    _d(K.WHISTLES_ANSWERED, D.COORDINATION,
       _("Share of the year's whistles on the compound's petitions, due by the date, answered in time."),
       _("Whistles (petitions)"), "4"),
    _d(K.ESCALATIONS, D.COORDINATION,
       _("Share of the year's petitions that were escalated at least once, counted as 100 − share."),
       _("Petitions"), "4", LOWER),
    _d(K.MANAGEMENT, D.SERVICE,
       _("100 under a professional firm, 60 under any other management or custody, 0 when unmanaged."),
       _("Compounds' management mode (communities)"), "4"),
    _d(K.FIRM_SCORE, D.SERVICE,
       _("The firm's score in the compound in the latest published quarterly evaluation."),
       _("Firm evaluation (rankings)"), "4"),
    _d(K.FEE_COLLECTION, D.SERVICE,
       _("Property fees paid of the fees due after relief, in the date's calendar year."), _("Fees (ledger)"), "4"),
    _d(K.STATEMENTS_PUBLISHED, D.SERVICE,
       _("Months of the last twelve complete months whose common-part statement was published to the owners."),
       _("Monthly statements (ledger)"), "4"),
    _d(K.ON_TIME, D.SERVICE, _("Share of the year's resolved petitions resolved within their time limit."),
       _("Petitions"), "4"),
    _d(K.PETITION_RATING, D.SATISFACTION,
       _("Residents' mean rating of the year's handled petitions, 1–5 mapped to 0–100 as (x − 1) × 25."),
       _("Petitions"), "7"),
    _d(K.SURVEY, D.SATISFACTION,
       _("Mean answer to the year's satisfaction survey, 1–5 mapped to 0–100 as (x − 1) × 25."),
       _("Survey answers (rankings)"), "7"),
    _d(K.RESOLUTION, D.SATISFACTION,
       _("Share of the year's petitions (neither rejected nor merged) that were resolved."), _("Petitions"), "6"),
]
BY_CODE = {d.code: d for d in INDICATORS}
DEFAULT_WEIGHTS = {d.code: d.weight for d in INDICATORS}
DIMENSIONS = {dim: [d.code for d in INDICATORS if d.dimension == dim] for dim in Dimension.values}

MANAGEMENT_VALUE = {ManagementMode.PROFESSIONAL: 100, ManagementMode.UNMANAGED: 0}
OTHER_MANAGEMENT_VALUE = 60


def share(part, whole) -> Fraction | None:
    """part / whole on 0–100, None for an empty whole."""
    return Fraction(100 * part, whole) if whole else None


def flag(present: bool) -> Fraction:
    return Fraction(100 if present else 0)


def rating(total, count) -> Fraction | None:
    """A mean of 1–5 answers on 0–100: (mean − 1) × 25."""
    return Fraction(25 * (total - count), count) if count else None


def values(f: dict) -> dict:
    """Each indicator's 0–100 value (or None) from one compound's raw figures (figures.py gives them)."""
    has_committee = f["owners_committee"]
    return {
        K.PARTY_ORGANIZATION: flag(f["party_organization"]),
        K.COMMITTEE_PARTY_COVERAGE: flag(f["committee_covered"]) if has_committee else None,
        K.COMMITTEE_PARTY_MEMBERS: share(f["committee_party_members"], f["committee_members"]),
        K.BUILDING_HEADS: share(f["buildings_headed"], f["buildings"]),
        K.COMMISSIONER: flag(f["commissioner"]),
        K.OWNERS_COMMITTEE: flag(has_committee),
        K.MEETINGS_HELD: Fraction(100 * min(f["meetings"], 12), 12),
        K.VOTE_TURNOUT: share(f["ballots"], f["voters"]),
        K.ELECTRONIC_BALLOTS: share(f["electronic_ballots"], f["ballots"]),
        K.PARTY_FIRST_REVIEW: share(f["major_reviewed"], f["major_items"]),
        K.CROSS_APPOINTMENT: flag(f["cross_appointment"]),
        K.SETTLED_IN_COMPOUND: share(f["in_compound"], f["resolved"]),
        K.WHISTLES_ANSWERED: share(f["whistles_in_time"], f["whistles"]),
        K.ESCALATIONS: 100 - share(f["escalated"], f["petitions"]) if f["petitions"] else None,
        K.MANAGEMENT: Fraction(MANAGEMENT_VALUE.get(f["management_mode"], OTHER_MANAGEMENT_VALUE)),
        K.FIRM_SCORE: None if f["firm_score"] is None else Fraction(f["firm_score"]),
        K.FEE_COLLECTION: None if f["fee_rate"] is None else 100 * Fraction(f["fee_rate"]),
        K.STATEMENTS_PUBLISHED: Fraction(100 * min(f["statement_months"], 12), 12),
        K.ON_TIME: share(f["on_time"], f["resolved"]),
        K.PETITION_RATING: rating(f["rating_sum"], f["rated"]),
        K.SURVEY: rating(f["survey_sum"], f["survey_answers"]),
        K.RESOLUTION: share(f["resolved"], f["petitions"]),
    }
