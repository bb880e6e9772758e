"""Writes of the strength index: the district's weights and the set-based computation, nightly (Celery beat) and
on demand. The score is core.weighted's weighted mean (the mechanism of the firms' evaluation), so an indicator
without data spreads its weight instead of counting as zero, and the breakdown says so."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import District
from core.errors import DomainError
from core.weighted import weighted_score
from dashboards.models import StrengthScore, StrengthWeight
from dashboards.strength import figures, indicators
from dashboards.strength.policies import strength_weight_policy


def weights_for(district_id: int) -> dict[str, Decimal]:
    """The district's weights: its own rows over the defaults (indicators.DEFAULT_WEIGHTS). One query."""
    weights = dict(indicators.DEFAULT_WEIGHTS)
    weights.update(StrengthWeight.objects.filter(district_id=district_id).values_list("indicator", "weight"))
    return weights


def check_weights(weights: dict) -> None:
    if not any(w > 0 for w in weights.values()):
        raise ValidationError({"weight": _("At least one indicator must weigh more than 0.")})


@transaction.atomic
def weight_set(*, actor, district: District, indicator: str, weight) -> StrengthWeight:
    """Sets the district's weight of one indicator (0–100, two decimals); the weights may not all be 0."""
    row = StrengthWeight.objects.select_for_update().filter(district=district, indicator=indicator).first() \
        or StrengthWeight(district=district, indicator=indicator)
    strength_weight_policy.require(actor, "change" if row.pk else "add", row)
    row.weight = weight
    row.full_clean()
    check_weights({**weights_for(district.pk), indicator: row.weight})
    row.save()
    return row


def dense_ranks(scores: dict[int, Decimal], groups: dict[int, int]) -> dict[int, int]:
    """{compound: rank} by score, highest first, within each group ({compound: group}); ties share a rank and
    the next rank follows on (1, 1, 2)."""
    by_group = defaultdict(list)
    for compound_id, score in scores.items():
        by_group[groups[compound_id]].append((score, compound_id))
    ranks = {}
    for rows in by_group.values():
        rank, previous = 0, None
        for score, compound_id in sorted(rows, key=lambda r: (-r[0], r[1])):
            if score != previous:
                rank, previous = rank + 1, score
            ranks[compound_id] = rank
    return ranks


def evaluate(district_id: int, on: datetime.date) -> list[StrengthScore]:
    """Every compound's index on `on`, unsaved: a fixed number of queries whatever the number of compounds."""
    weights = weights_for(district_id)
    raw = figures.district_figures(district_id, on)
    previous = _previous_day(district_id, on)
    now = timezone.now()
    scores, made = {}, {}
    for compound_id, f in raw.items():
        values = indicators.values(f)
        try:
            result = weighted_score(values, weights)
        except ValueError:  # no weighted indicator has data: no index rather than a made-up one
            continue
        dimensions = {}
        for dimension, codes in indicators.DIMENSIONS.items():
            try:
                dimensions[dimension] = str(weighted_score({c: values[c] for c in codes},
                                                           {c: weights[c] for c in codes}).score)
            except ValueError:
                dimensions[dimension] = None
        breakdown = result.breakdown()
        for part in breakdown["parts"]:
            part["dimension"] = indicators.BY_CODE[part["code"]].dimension
        scores[compound_id] = result.score
        made[compound_id] = (f, dimensions, breakdown)
    ranks = {
        "community": dense_ranks(scores, {pk: raw[pk]["community_id"] for pk in scores}),
        "street": dense_ranks(scores, {pk: raw[pk]["street_id"] for pk in scores}),
        "district": dense_ranks(scores, dict.fromkeys(scores, district_id)),
    }
    out = []
    for compound_id, score in scores.items():
        f, dimensions, breakdown = made[compound_id]
        before = previous.get(compound_id)
        out.append(StrengthScore(
            district_id=district_id, street_id=f["street_id"], community_id=f["community_id"],
            compound_id=compound_id, on=on, score=score, dimensions=dimensions, breakdown=breakdown,
            rank_community=ranks["community"][compound_id], rank_street=ranks["street"][compound_id],
            rank_district=ranks["district"][compound_id], previous_on=before and before["on"],
            change=None if before is None else score - before["score"], computed_at=now))
    return out


@transaction.atomic
def strength_compute(*, district: District, on: datetime.date | None = None, actor=None) -> int:
    """Computes and stores the district's index on `on` (default today), replacing that day's rows; run again on
    the same data it stores the same figures. Two runs for one district wait for each other (the district row
    is locked). Returns the number of compounds scored."""
    if actor is not None:
        strength_weight_policy.require(actor, "compute", StrengthWeight(district=district))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("The index is computed for today or a day before."), field="on")
    District.objects.select_for_update().filter(pk=district.pk).first()
    rows = evaluate(district.pk, on)
    StrengthScore.objects.filter(district=district, on=on).delete()
    StrengthScore.objects.bulk_create(rows, batch_size=2000)
    # A later day's change was measured against the rows just replaced: measure it again.
    following = StrengthScore.objects.filter(district=district, on__gt=on).order_by("on").values_list(
        "on", flat=True).first()
    if following is not None:
        _rechange(district.pk, following)
    return len(rows)


def _previous_day(district_id: int, on: datetime.date) -> dict[int, dict]:
    """{compound id: {"on", "score"}} of the district's last computed day before `on` (a district's compounds are
    computed together, so that day is every compound's previous index; a compound new since has none). Two
    queries."""
    day = StrengthScore.objects.filter(district_id=district_id, on__lt=on).aggregate(day=Max("on"))["day"]
    if day is None:
        return {}
    return {row["compound_id"]: row for row in StrengthScore.objects.filter(district_id=district_id, on=day).values(
        "compound_id", "on", "score")}


def _rechange(district_id: int, on: datetime.date) -> None:
    previous = _previous_day(district_id, on)
    rows = list(StrengthScore.objects.filter(district_id=district_id, on=on))
    for row in rows:
        before = previous.get(row.compound_id)
        row.previous_on = before and before["on"]
        row.change = None if before is None else row.score - before["score"]
    StrengthScore.objects.bulk_update(rows, ["previous_on", "change"], batch_size=2000)


def strength_compute_all(*, on: datetime.date | None = None) -> int:
    """Every district's index for today (Celery beat, nightly)."""
    return sum(strength_compute(district=d, on=on) for d in District.objects.order_by("pk"))

