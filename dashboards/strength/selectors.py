"""Reads of the strength index for the page and the API: a node's compounds ranked on a day, a compound's history,
the indicators with a district's weights. Each a fixed number of queries, whatever the data's size."""

import datetime
from decimal import Decimal

from communities.models import Compound, District
from dashboards.models import StrengthScore
from dashboards.strength import indicators
from dashboards.strength.policies import strength_score_policy
from dashboards.strength.services import weights_for

NODE_FIELD = {"district": "district_id", "street": "street_id", "community": "community_id",
              "compound": "compound_id"}


def node_scores(user, node):
    """The index rows under a node that the user may see (every day)."""
    field = NODE_FIELD["district" if isinstance(node, District) else str(node.level)]
    return strength_score_policy.visible(user).filter(**{field: node.pk})


def days(scores, limit: int = 24) -> list[datetime.date]:
    """The days the index was computed for, newest first. One query."""
    return list(scores.order_by("-on").values_list("on", flat=True).distinct()[:limit])


def ranking(user, node, *, on: datetime.date | None = None) -> dict:
    """The compounds under `node` ranked by their index on `on` (default the latest day computed), each with its
    dimensions, ranks and change: {"on", "days", "rows"}. Three queries."""
    scores = node_scores(user, node)
    available = days(scores)
    if on is None:
        on = available[0] if available else None
    # Without the breakdown: a ranking shows dimensions, and the breakdown of every compound of a district is
    # the bulk of the rows (the overview reads this on every page view).
    rows = list(scores.filter(on=on).select_related("compound", "community", "street").defer("breakdown")
                .order_by("-score", "compound_id")) if on else []
    return {"on": on, "days": available, "rows": rows}


def history(user, compound: Compound, *, limit: int = 24) -> list[StrengthScore]:
    """A compound's index days, newest first, with their breakdowns. One query."""
    return list(node_scores(user, compound).order_by("-on")[:limit])


def breakdown_rows(score: StrengthScore) -> list[dict]:
    """The breakdown of one index as table rows, by dimension, with each indicator's definition."""
    rows = []
    for part in score.breakdown["parts"]:
        definition = indicators.BY_CODE.get(part["code"])
        rows.append({**part, "name": definition.name if definition else part["code"],
                     "definition": definition.definition if definition else "",
                     "direction": definition.direction_label if definition else ""})
    order = {d.code: i for i, d in enumerate(indicators.INDICATORS)}
    return sorted(rows, key=lambda r: order.get(r["code"], len(order)))


def indicator_table(district_id: int | None) -> list[dict]:
    """Every indicator with its dimension, definition, source, direction, default weight and the district's
    weight. One query."""
    weights = weights_for(district_id) if district_id else indicators.DEFAULT_WEIGHTS
    return [{"code": d.code, "name": d.name, "dimension": d.dimension, "definition": d.definition,
             "source": d.source, "direction": d.direction, "direction_label": d.direction_label,
             "default_weight": d.weight, "weight": weights[d.code]} for d in indicators.INDICATORS]


def node_summary(user, node) -> dict:
    """The index of a node for its overview: on the latest day computed, the mean over its compounds (overall and
    per dimension), the mean change, and the three best and three last compounds. The ranking's three queries."""
    ranked = ranking(user, node)
    rows = ranked["rows"]

    def mean(values):
        values = [v for v in values if v is not None]
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1")) if values else None

    dimensions = [{"code": code, "label": indicators.Dimension(code).label,
                   "mean": mean([Decimal(str(r.dimensions[code])) if r.dimensions.get(code) is not None else None
                                 for r in rows])}
                  for code in indicators.DIMENSIONS]
    return {"on": ranked["on"], "count": len(rows), "mean": mean([r.score for r in rows]),
            "change": mean([r.change for r in rows]), "dimensions": dimensions,
            "best": rows[:3], "last": rows[-3:][::-1] if len(rows) > 3 else []}


def compound_summary(user, compound: Compound) -> dict | None:
    """A compound's latest index with its ranks, change and dimensions (labelled), or None. One query."""
    latest = history(user, compound, limit=1)
    if not latest:
        return None
    score = latest[0]
    dimensions = [{"code": code, "label": indicators.Dimension(code).label, "score": score.dimensions.get(code)}
                  for code in indicators.DIMENSIONS]
    return {"score": score, "dimensions": dimensions}
