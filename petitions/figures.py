"""Summary tables of the petition figures (`PetitionFigures`): one row per node (compound, community, street,
district) and day, and per node and month, so that a dashboard reads a dozen rows instead of grouping a million
raw petitions per page view (docs/performance.md, "big aggregates").

- Maintained incrementally: every service that changes a petition writes a timeline event; `_event` calls
  `touch`, which queues `tasks.refresh_figures` once per (compound, day of creation) after commit. The task
  recomputes that day's rows of the compound and its ancestors from the raw rows, and their month rows from the
  day rows — idempotent, so a repeated or late task does no harm.
- New petitions queue nothing: the create publishes no task by design (one INSERT statement, the notice left in
  the outbox: ADR 0002, asserted by the create's query test). `refresh_new`, on beat every minute, recounts the
  days of the compounds that received petitions in the last few minutes, so a new petition is counted within
  a minute or two.
- Rebuilt nightly (`rebuild`, Celery beat): every row from the raw rows, which also repairs what a lost task or
  a change outside the services (the admin's delete, a data fix) left behind.
- Days and months are those of `settings.TIME_ZONE`, in which a petition's day of creation never changes.

Medians come from histograms: each duration (created → accepted, created → resolved) falls into a bucket of
`GRID` (about 5 % wide, from one minute to 90 days) and stands for the bucket's midpoint; the median is the
median of those values (PERCENTILE_CONT's rule: the mean of the two middle ones for an even count). It is within
2.5 % of the exact median, and exactly what `selectors.petition_figures_raw` computes from the raw rows.
A department's mean response is its answered whistles' total response time in microseconds divided by their
number, rounded half to even.
"""

import bisect
import dataclasses
import datetime
import json
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from petitions.models import COUNTED, Petition, PetitionFigures

LEVELS = ("compound", "community", "street", "district")
NODE_COLUMNS = {level: f"{level}_id" for level in LEVELS}


def _grid() -> list[int]:
    """Bucket bounds in seconds: 0, one minute, then about 5 % more each, up to 90 days."""
    bounds, value = [0, 60], 60.0
    while value < 90 * 86400:
        value *= 1.05
        if round(value) > bounds[-1]:
            bounds.append(round(value))
    return bounds


GRID = _grid()
_GRID_DELTAS = [datetime.timedelta(seconds=s) for s in GRID]
_GRID_SQL = "'{" + ",".join(map(str, GRID)) + "}'::numeric[]"
# A month row's histograms: the count of every bucket, 0 to len(GRID), a list of fixed length (a day row's are
# maps of the buckets used), so that summing a year of month rows costs the same at any number of petitions.
HISTOGRAM_LENGTH = len(GRID) + 1


def bucket(duration: datetime.timedelta) -> int:
    """The bucket of a duration: 0 below zero, i for [GRID[i-1], GRID[i]), len(GRID) from the last bound on
    (the same number as PostgreSQL's width_bucket over GRID)."""
    return bisect.bisect_right(_GRID_DELTAS, duration)


def bucket_value(index: int) -> datetime.timedelta:
    """What a bucket's durations count as: its midpoint (zero below zero, the last bound above it)."""
    if index <= 0:
        return datetime.timedelta(0)
    if index >= len(GRID):
        return _GRID_DELTAS[-1]
    return (_GRID_DELTAS[index - 1] + _GRID_DELTAS[index]) / 2


def median_of(histogram: Counter) -> datetime.timedelta | None:
    """The median of a histogram's values by PERCENTILE_CONT(0.5)'s rule."""
    count = sum(histogram.values())
    if not count:
        return None
    wanted, found, seen = {(count - 1) // 2, count // 2}, {}, 0
    for index in sorted(histogram):
        seen += histogram[index]
        for rank in wanted - found.keys():
            if rank < seen:
                found[rank] = bucket_value(index)
        if len(found) == len(wanted):
            break
    return (found[(count - 1) // 2] + found[count // 2]) / 2


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(local_zone()).date()


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=local_zone())


# --- what one row holds, and sums of rows ------------------------------------------------------------------------

COUNTS = ("total", "rejected", "merged", "resolved", "on_time", "in_compound", "escalated", "ratings", "satisfied",
          "rated", "rated_satisfied", "rating_sum")
MAPS = ("by_channel", "by_category", "to_accept", "to_resolve")


@dataclasses.dataclass
class Bundle:
    """The additive figures of a set of petitions: counts, counts by key, histograms, and per department the
    whistles' [calls, late, answered, total response in microseconds]."""

    counts: Counter = dataclasses.field(default_factory=Counter)
    by_channel: Counter = dataclasses.field(default_factory=Counter)
    by_category: Counter = dataclasses.field(default_factory=Counter)
    to_accept: Counter = dataclasses.field(default_factory=Counter)
    to_resolve: Counter = dataclasses.field(default_factory=Counter)
    departments: dict = dataclasses.field(default_factory=dict)

    def add(self, row: dict) -> None:
        # A raw cursor gets jsonb as text (Django leaves decoding to JSONField).
        row = {k: json.loads(v) if isinstance(v, str) and k in (*MAPS, "departments") else v for k, v in row.items()}
        for name in COUNTS:
            self.counts[name] += row[name]
        self.by_channel.update(row["by_channel"])
        self.by_category.update({int(k): v for k, v in row["by_category"].items()})
        self.to_accept.update(_histogram(row["to_accept"]))
        self.to_resolve.update(_histogram(row["to_resolve"]))
        for key, values in row["departments"].items():
            mine = self.departments.setdefault(int(key), [0, 0, 0, 0])
            for i, value in enumerate(values):
                mine[i] += value

    def row(self, span: str = "day") -> dict:
        """The bundle as a summary row of `span` (a month's histograms are lists of every bucket's count)."""
        row = {**{name: self.counts[name] for name in COUNTS},
               **{name: {str(k): v for k, v in getattr(self, name).items()} for name in MAPS},
               "departments": {str(k): v for k, v in self.departments.items()}}
        if span == "month":
            row["to_accept"], row["to_resolve"] = (
                [histogram.get(i, 0) for i in range(HISTOGRAM_LENGTH)] for histogram in (self.to_accept, self.to_resolve))
        return row


def _histogram(value: dict | list) -> dict[int, int]:
    """A histogram's buckets and counts, from a day row's map {bucket: count} or a month row's list of counts."""
    if isinstance(value, list):
        return {i: n for i, n in enumerate(value) if n}
    return {int(k): v for k, v in value.items()}


_COLUMNS = ("span", "level", "node_id", "district_id", "start", *COUNTS, *MAPS, "departments")
_TABLE = PetitionFigures._meta.db_table


# A petition's ratings: looked up by its id for a few petitions, grouped in one pass over the events for all.
_RATINGS_EACH = """CROSS JOIN LATERAL (
    SELECT count(*) AS given, count(*) FILTER (WHERE e.rating >= 4) AS satisfied
    FROM petitions_petitionevent e WHERE e.petition_id = pp.id AND e.kind = 'rated') AS ev"""
_RATINGS_BULK = """LEFT JOIN (
    SELECT petition_id, count(*) AS given, count(*) FILTER (WHERE rating >= 4) AS satisfied
    FROM petitions_petitionevent WHERE kind = 'rated' GROUP BY petition_id) AS ev ON ev.petition_id = pp.id"""


def _dense(jsonb: str) -> str:
    """SQL: the fixed-length list of a histogram map (`jsonb`, NULL for an empty one)."""
    return (f"to_jsonb(ARRAY(SELECT coalesce(({jsonb} ->> i::text)::bigint, 0) "
            f"FROM generate_series(0, {HISTOGRAM_LENGTH - 1}) AS i))")


_LOCAL = "(pp.created_at AT TIME ZONE %(tz)s)"
# models.COUNTED in SQL: the petitions the rates count (neither rejected nor merged).
_COUNTED_SQL = "(pp.status <> 'rejected' AND pp.close_reason <> 'merged')"
# The column of each level's node on a petition (the district's is in every grouping set).
_LEVEL_COLUMNS = {"compound": "compound_id", "community": "community_id", "street": "street_id"}


def _bundle_sql(spans: tuple, where: str, levels: tuple = LEVELS, nodes: str = "TRUE", bulk: bool = False) -> str:
    """Rows of the summary table computed from the raw rows chosen by `where` (petitions `pp`), per `span` (day,
    month) and node of each of `levels`, in one pass over the petitions: each figure is grouped by GROUPING SETS,
    one set per span and level. `nodes` keeps some of the rows (over their `level` and `node_id`)."""
    columns = [_LEVEL_COLUMNS[level] for level in levels if level != "district"]
    if "district" in levels:
        columns.append(None)

    def sets(extra: str = "") -> str:
        return ", ".join(f"({span}, district_id{', ' + column if column else ''}{extra})"
                         for span in spans for column in columns)

    # Which set a group is of: GROUPING()'s bits, an integer (sorting and joining on text costs several times more).
    # A column's bit is 0 in the sets that group by it; the rightmost argument is the lowest bit.
    grouped = [*(["day"] if len(spans) > 1 else []), *(c for c in columns if c)]
    bit = {column: 1 << (len(grouped) - 1 - i) for i, column in enumerate(grouped)}
    span = (f"'{spans[0]}'" if len(spans) == 1 else f"CASE WHEN g & {bit.get('day')} = 0 THEN 'day' ELSE 'month' END")
    level = (f"'{levels[0]}'" if len(levels) == 1 else "CASE " + " ".join(
        f"WHEN g & {bit[_LEVEL_COLUMNS[lv]]} = 0 THEN '{lv}'" for lv in levels if lv != "district")
        + " ELSE 'district' END")
    node = "coalesce(" + ", ".join([*(c for c in columns if c), "district_id"]) + ")"
    which = f"GROUPING({', '.join(grouped)})" if grouped else "0"
    key = f"{which} AS g, {node} AS node_id, coalesce({', '.join(spans)}) AS start"

    def mapped(name: str, column: str, only: str = "TRUE") -> str:
        return f"""{name} AS (
  SELECT g, node_id, start, jsonb_object_agg({column}, n) AS m
  FROM (SELECT {key}, {column}, count(*) AS n FROM raw WHERE {only}
        GROUP BY GROUPING SETS ({sets(', ' + column)})) AS x GROUP BY 1, 2, 3
)"""

    def histogram(name: str) -> str:
        return (f"CASE WHEN b.span = 'month' THEN {_dense(name + '.m')} ELSE coalesce({name}.m, '{{}}') END")

    return f"""
WITH raw AS MATERIALIZED (
  SELECT pp.id, pp.compound_id, pp.community_id, pp.street_id, pp.district_id, pp.status, pp.close_reason,
         pp.source, pp.category_id, pp.resolved_at, pp.resolved_on_time, pp.settled_level, pp.escalations, pp.rating,
         {_LOCAL}::date AS day, date_trunc('month', {_LOCAL})::date AS month,
         width_bucket(extract(epoch FROM pp.accepted_at - pp.created_at), {_GRID_SQL}) AS ab,
         width_bucket(extract(epoch FROM pp.resolved_at - pp.created_at), {_GRID_SQL}) AS rb,
         coalesce(ev.given, 0) AS given, coalesce(ev.satisfied, 0) AS satisfied,
         {_COUNTED_SQL} AS counted
  FROM petitions_petition pp
  {_RATINGS_BULK if bulk else _RATINGS_EACH}
  WHERE {where}
), base AS (
  SELECT * FROM (SELECT {span} AS span, {level} AS level, * FROM (
    SELECT {key}, district_id, count(*) AS total,
           count(*) FILTER (WHERE status = 'rejected') AS rejected,
           count(*) FILTER (WHERE close_reason = 'merged') AS merged,
           count(*) FILTER (WHERE counted AND resolved_at IS NOT NULL) AS resolved,
           count(*) FILTER (WHERE counted AND resolved_on_time) AS on_time,
           count(*) FILTER (WHERE counted AND settled_level = 'compound') AS in_compound,
           count(*) FILTER (WHERE counted AND escalations > 0) AS escalated,
           coalesce(sum(given) FILTER (WHERE counted), 0)::bigint AS ratings,
           coalesce(sum(satisfied) FILTER (WHERE counted), 0)::bigint AS satisfied,
           count(*) FILTER (WHERE counted AND rating IS NOT NULL) AS rated,
           count(*) FILTER (WHERE counted AND rating >= 4) AS rated_satisfied,
           coalesce(sum(rating) FILTER (WHERE counted), 0)::bigint AS rating_sum
    FROM raw GROUP BY GROUPING SETS ({sets()})
  ) AS x) AS y WHERE {nodes}
), {mapped("ch", "source")}, {mapped("cat", "category_id")}, {mapped("acc", "ab", "ab IS NOT NULL")},
{mapped("res", "rb", "rb IS NOT NULL")}, dep AS (
  SELECT g, node_id, start, jsonb_object_agg(department_id, jsonb_build_array(calls, late, answered, us)) AS m
  FROM (SELECT {key}, department_id, count(*) AS calls,
               count(*) FILTER (WHERE w.is_late) AS late, count(w.answered_at) AS answered,
               coalesce(sum(round(extract(epoch FROM w.answered_at - w.blown_at) * 1000000)), 0)::bigint AS us
        FROM raw JOIN (SELECT petition_id, department_id, is_late, blown_at, answered_at FROM petitions_whistle)
             AS w ON w.petition_id = raw.id
        GROUP BY GROUPING SETS ({sets(', department_id')})) AS x
  GROUP BY 1, 2, 3
)
SELECT b.span, b.level, b.node_id, b.district_id, b.start, b.total, b.rejected, b.merged, b.resolved,
       b.on_time, b.in_compound, b.escalated, b.ratings, b.satisfied, b.rated, b.rated_satisfied, b.rating_sum,
       coalesce(ch.m, '{{}}'), coalesce(cat.m, '{{}}'), {histogram("acc")}, {histogram("res")},
       coalesce(dep.m, '{{}}')
FROM base AS b
LEFT JOIN ch USING (g, node_id, start) LEFT JOIN cat USING (g, node_id, start)
LEFT JOIN acc USING (g, node_id, start) LEFT JOIN res USING (g, node_id, start)
LEFT JOIN dep USING (g, node_id, start)"""


_INSERT = f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) "


def _rows_from_raw(cursor, spans: tuple, where: str, params: dict, levels: tuple = LEVELS, nodes: str = "TRUE",
                   insert: bool = False, bulk: bool = False):
    sql = _bundle_sql(spans, where, levels, nodes, bulk)
    cursor.execute((_INSERT if insert else "") + sql, {**params, "tz": settings.TIME_ZONE})
    return None if insert else [dict(zip(_COLUMNS, r, strict=True)) for r in cursor.fetchall()]


# --- keeping the rows current -------------------------------------------------------------------------------------

def _key(petition) -> tuple:
    return (petition.district_id, petition.street_id, petition.community_id, petition.compound_id,
            local_day(petition.created_at).isoformat())


class _Refresh:
    """The on-commit callback of one key; `key` lets `touch` see that it is queued already."""

    def __init__(self, key: tuple):
        self.key, self.done = key, False

    def __call__(self):
        self.done = True
        # The task imports this module: imported here, where it is used, to keep that one way.
        from petitions import tasks

        tasks.refresh_figures.delay(*self.key)


def touch(petition: Petition) -> None:
    """Queues the recount of the petition's day (its compound and ancestors) once the transaction commits; once
    per key and transaction, however many events the service writes."""
    if connection.vendor != "postgresql":
        return  # the summaries are PostgreSQL's; elsewhere the figures are read from the raw rows
    key = _key(petition)
    # Django keeps the callbacks still to run (those of a rolled-back savepoint are dropped from the list), so a
    # key found there will be queued. (`done`: the test harness runs callbacks without taking them off the list.)
    if any(getattr(func, "key", None) == key and not func.done for _, func, *_rest in connection.run_on_commit):
        return
    # Robust: a broker that is down must not turn a committed change into an error; the night's rebuild recounts.
    transaction.on_commit(_Refresh(key), robust=True)


@transaction.atomic
def refresh(district_id: int, street_id: int, community_id: int, compound_id: int, day: str) -> None:
    """Recounts one compound's day and its ancestors' from the raw rows, then their months from the days."""
    refresh_day(district_id, day, [(street_id, community_id, compound_id)])


@transaction.atomic
def refresh_day(district_id: int, day: str, places) -> None:
    """Recounts one day of a district for the compounds `places` ((street, community, compound) ids) and their
    ancestors from the raw rows, then their months from the days: six queries whatever the number of compounds
    (one pass over the district's petitions of the day, as a single compound's recount already made)."""
    day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
    month = day.replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    places = list(places)
    nodes = {"district": [district_id], "street": sorted({p[0] for p in places}),
             "community": sorted({p[1] for p in places}), "compound": sorted({p[2] for p in places})}
    pairs = " OR ".join(f"(level = '{level}' AND node_id = ANY(%({level})s))" for level in LEVELS)
    with connection.cursor() as cursor:
        # One refresh at a time per district and month: each reads under the lock what committed before it, so
        # the last to finish counts every change (and the month rows add up days that are all current).
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('petition_figures'), hashtext(%s))",
                       [f"{district_id}:{month.isoformat()}"])
        cursor.execute(f"DELETE FROM {_TABLE} WHERE span = 'day' AND start = %(day)s AND ({pairs})",
                       {**nodes, "day": day})
        _rows_from_raw(
            cursor, ("day",), "pp.district_id = %(district_id)s AND pp.created_at >= %(lo)s AND pp.created_at < %(hi)s",
            {**nodes, "district_id": district_id, "lo": midnight(day),
             "hi": midnight(day + datetime.timedelta(days=1))},
            nodes=pairs,
            insert=True,
        )
        cursor.execute(f"DELETE FROM {_TABLE} WHERE span = 'month' AND start = %(month)s AND ({pairs})",
                       {**nodes, "month": month})
    sums: dict[tuple, Bundle] = {}
    for row in _days_of(nodes, month, next_month):
        sums.setdefault((row["level"], row["node_id"]), Bundle()).add(row)
    PetitionFigures.objects.bulk_create([
        PetitionFigures(span="month", level=level, node_id=node_id, district_id=district_id, start=month,
                        **bundle.row("month"))
        for (level, node_id), bundle in sums.items()
    ])


def _days_of(nodes: dict, month, next_month) -> list[dict]:
    which = Q()
    for level, ids in nodes.items():
        which |= Q(level=level, node_id__in=ids)
    return list(PetitionFigures.objects.filter(which, span="day", start__gte=month, start__lt=next_month)
                .values("level", "node_id", *COUNTS, *MAPS, "departments"))


NEW_WINDOW = datetime.timedelta(minutes=3)


def refresh_new(now=None) -> int:
    """Recounts the day of every compound that received petitions in the last `NEW_WINDOW` (the minute's beat
    runs it; the windows overlap, so a late or skipped tick loses nothing that a later one does not recount).
    Returns the number of compound-days recounted."""
    now = now or timezone.now()
    keys = {_key(p) for p in Petition.objects.filter(created_at__gte=now - NEW_WINDOW).only(
        "district_id", "street_id", "community_id", "compound_id", "created_at")}
    # One recount per district and day, however many of its compounds were busy: the recount of a day passes over
    # the district's petitions of that day once (its district row needs them all), so one per compound repeated it.
    by_day: dict[tuple, list] = {}
    for district_id, street_id, community_id, compound_id, day in keys:
        by_day.setdefault((district_id, day), []).append((street_id, community_id, compound_id))
    for (district_id, day), places in sorted(by_day.items()):
        refresh_day(district_id, day, places)
    return len(keys)


def rebuild(district_id: int | None = None) -> int:
    """Recomputes every row (of one district, or all) from the raw rows; returns the number of rows."""
    where, params = ("pp.district_id = %(district)s", {"district": district_id}) if district_id else ("TRUE", {})
    with transaction.atomic(), connection.cursor() as cursor:
        # Refreshes wait while the table is rebuilt, then recount what changed meanwhile on top of it.
        cursor.execute(f"LOCK TABLE {_TABLE} IN SHARE ROW EXCLUSIVE MODE")
        # Grouping a million petitions four ways: in memory rather than in batches spilled to disk, and without
        # JIT compilation, which the planner's low estimates of the groups make cost more than it saves.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        if district_id:
            cursor.execute(f"DELETE FROM {_TABLE} WHERE district_id = %s", [district_id])
        else:
            cursor.execute(f"DELETE FROM {_TABLE}")
        _rows_from_raw(cursor, ("day", "month"), where, params, insert=True, bulk=True)
        cursor.execute(f"SELECT count(*) FROM {_TABLE}" + (" WHERE district_id = %s" if district_id else ""),
                       [district_id] if district_id else [])
        return cursor.fetchone()[0]


# --- reading ---------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Parts:
    """A period [start, end) cut into whole months, whole days and the ragged hours at either end."""

    months: list  # first days of whole months
    days: list  # [first, last) ranges of whole days outside those months
    edges: list  # [start, end) datetime ranges inside a day


def split(start: datetime.datetime, end: datetime.datetime) -> Parts:
    zone = local_zone()
    first = local_day(start)
    if start.astimezone(zone).time() != datetime.time():
        first += datetime.timedelta(days=1)
    last = local_day(end)
    if first >= last:
        return Parts([], [], [(start, end)] if start < end else [])
    edges = [(start, midnight(first))] if start < midnight(first) else []
    if end > midnight(last):
        edges.append((midnight(last), end))
    months, month = [], first if first.day == 1 else (first.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    while True:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        if following > last:
            break
        months.append(month)
        month = following
    if not months:
        return Parts([], [(first, last)], edges)
    following = (months[-1] + datetime.timedelta(days=32)).replace(day=1)
    days = [(a, b) for a, b in ((first, months[0]), (following, last)) if a < b]
    return Parts(months, days, edges)


def _summary_where(parts: Parts, params: list) -> list[str]:
    terms = []
    if parts.months:
        terms.append("(span = 'month' AND start = ANY(%s))")
        params.append(parts.months)
    for first, last in parts.days:
        terms.append("(span = 'day' AND start >= %s AND start < %s)")
        params += [first, last]
    return terms


def _summed_map(name: str) -> str:
    return (f"(SELECT coalesce(jsonb_object_agg(k, n), '{{{{}}}}') FROM (SELECT k, sum(v::bigint) AS n "
            f"FROM r, jsonb_each_text(r.{name}) AS e(k, v) WHERE r.now GROUP BY k) AS x) AS {name}")


def _summed_histogram(name: str) -> str:
    """SQL: the count of every bucket summed over the period's rows, a list of fixed length: the month rows' lists
    element by element (the same work at any number of petitions), the day rows' maps key by key."""
    return (
        f"(SELECT array_agg(coalesce(x.n, 0) ORDER BY b) FROM generate_series(0, {HISTOGRAM_LENGTH - 1}) AS b "
        f"LEFT JOIN (SELECT k, sum(v) AS n FROM ("
        f"SELECT u.i::int - 1 AS k, u.v::bigint AS v FROM r, jsonb_array_elements_text("
        f"CASE WHEN r.span = 'month' THEN r.{name} ELSE '[]' END) WITH ORDINALITY AS u(v, i) WHERE r.now "
        f"UNION ALL SELECT e.k::int, e.v::bigint FROM r, jsonb_each_text("
        f"CASE WHEN r.span = 'day' THEN r.{name} ELSE '{{{{}}}}' END) AS e(k, v) WHERE r.now"
        f") AS y GROUP BY k) AS x ON x.k = b) AS {name}")


# The node's summary rows of a period and of the year before, summed by PostgreSQL into one row (counts, maps
# merged key by key), so that the work left to Python does not grow with how full the histograms are.
_SUMMED = (
    f"WITH r AS MATERIALIZED (SELECT {{now}} AS now, {{before}} AS before, * FROM {_TABLE} "
    f"WHERE level = %s AND node_id = %s AND ({{now}} OR {{before}})) SELECT "
    + ", ".join(f"coalesce(sum({c}) FILTER (WHERE now), 0)::bigint AS {c}" for c in COUNTS)
    + ", (SELECT coalesce(sum(total) FILTER (WHERE before), 0)::bigint FROM r) AS previous, "
    + ", ".join(_summed_map(m) for m in ("by_channel", "by_category")) + ", "
    + ", ".join(_summed_histogram(m) for m in ("to_accept", "to_resolve"))
    + ", (SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(a, b, c, d)), '{{}}') FROM ("
      "SELECT k, sum((v->>0)::bigint) AS a, sum((v->>1)::bigint) AS b, sum((v->>2)::bigint) AS c, "
      "sum((v->>3)::bigint) AS d FROM r, jsonb_each(r.departments) AS e(k, v) WHERE r.now GROUP BY k) AS x) "
      "AS departments FROM r"
)


def read(level: str, node_id: int, start, end, before_start, before_end) -> tuple[Bundle, int]:
    """The figures of a node's petitions created in [start, end), and the number created in [before_start,
    before_end): whole months and days from the summary rows (one query), ragged hours from the raw rows (one
    query at most for each period). The number of queries does not depend on the number of petitions."""
    now, before = split(start, end), split(before_start, before_end)
    current, previous = Bundle(), 0
    now_params: list = []
    now_terms = " OR ".join(_summary_where(now, now_params)) or "FALSE"
    before_params: list = []
    before_terms = " OR ".join(_summary_where(before, before_params)) or "FALSE"
    if now_params or before_params:
        with connection.cursor() as cursor:
            cursor.execute(_SUMMED.format(now=now_terms, before=before_terms),
                           [*now_params, *before_params, level, node_id, *now_params, *before_params])
            names = [c.name for c in cursor.description]
            row = dict(zip(names, cursor.fetchone(), strict=True))
        current.add(row)
        previous = row["previous"]
    column = NODE_COLUMNS[level]
    if now.edges:
        params = {"node": node_id}
        ranges = []
        for i, (lo, hi) in enumerate(now.edges):
            ranges.append(f"(pp.created_at >= %(lo{i})s AND pp.created_at < %(hi{i})s)")
            params.update({f"lo{i}": lo, f"hi{i}": hi})
        with connection.cursor() as cursor:
            for row in _rows_from_raw(cursor, ("day",), f"pp.{column} = %(node)s AND ({' OR '.join(ranges)})",
                                      params, levels=(level,)):
                current.add(row)
    if before.edges:
        which = Q()
        for lo, hi in before.edges:
            which |= Q(created_at__gte=lo, created_at__lt=hi)
        previous += Petition.objects.filter(which, **{column: node_id}).count()
    return current, previous


# The counts a ranking of children (and the strength index) reads per node: petitions by their state, and by their
# latest rating the petitions rated, those rated 4 or 5 and the sum of the ratings.
NODE_COUNTS = ("total", "rejected", "merged", "resolved", "on_time", "in_compound", "escalated", "rated",
               "rated_satisfied", "rating_sum")
# The same counts from raw rows (the ragged hours only), as the summary's SQL counts them: the rates' counts of
# the petitions neither rejected nor merged (COUNTED) only.
RAW_COUNTS = {
    "total": Count("pk"), "rejected": Count("pk", filter=Q(status="rejected")),
    "merged": Count("pk", filter=Q(close_reason="merged")),
    "resolved": Count("pk", filter=COUNTED & Q(resolved_at__isnull=False)),
    "on_time": Count("pk", filter=COUNTED & Q(resolved_on_time=True)),
    "in_compound": Count("pk", filter=COUNTED & Q(settled_level="compound")),
    "escalated": Count("pk", filter=COUNTED & Q(escalations__gt=0)),
    "rated": Count("pk", filter=COUNTED & Q(rating__isnull=False)),
    "rated_satisfied": Count("pk", filter=COUNTED & Q(rating__gte=4)),
    "rating_sum": Coalesce(Sum("rating", filter=COUNTED), 0),
}


def read_by_node(level: str, ids, start, end) -> dict[int, Counter]:
    """{node id: its `NODE_COUNTS`} for the nodes `ids` of `level`, of the petitions created in [start, end):
    whole months and days from the summary rows in one query grouped by node, the ragged hours (at most a day at
    each end) from the raw rows in one more. Nodes without petitions are left out. Two queries at most, whatever
    the number of nodes or petitions."""
    ids = list(ids)
    out: dict[int, Counter] = {}
    if not ids:
        return out
    parts = split(start, end)
    params: list = []
    terms = _summary_where(parts, params)
    if terms:
        sums = ", ".join(f"coalesce(sum({c}), 0)::bigint" for c in NODE_COUNTS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT node_id, {sums} FROM {_TABLE} WHERE level = %s AND node_id = ANY(%s) "
                           f"AND ({' OR '.join(terms)}) GROUP BY node_id", [level, ids, *params])
            for node_id, *values in cursor.fetchall():
                out[node_id] = Counter(dict(zip(NODE_COUNTS, values, strict=True)))
    if parts.edges:
        column = NODE_COLUMNS[level]
        which = Q()
        for lo, hi in parts.edges:
            which |= Q(created_at__gte=lo, created_at__lt=hi)
        rows = (Petition.objects.filter(which, **{f"{column}__in": ids}).values(column)
                .annotate(**RAW_COUNTS).order_by())
        for row in rows:
            out.setdefault(row[column], Counter()).update({name: row[name] for name in NODE_COUNTS})
    return out
