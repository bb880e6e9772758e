"""Reads of petitions: scoped lists and work queues, the timeline, possible duplicates, figures."""

import datetime
from collections import Counter
from fractions import Fraction

from django.db import connection
from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Department, Person
from communities.scope import scope_for
from petitions import figures
from petitions.models import (
    COUNTED,
    DUPLICATE_WINDOW,
    HANDLER_TURN_STATES,
    Category,
    Petition,
    PetitionEvent,
    Status,
    Whistle,
)
from petitions.policies import category_policy, petition_policy


def petitions_visible_to(user) -> QuerySet:
    """Petitions the user may see, with what list rows show loaded."""
    return petition_policy.visible(user).select_related("category", "compound")


def my_petitions(user) -> QuerySet:
    return Petition.objects.filter(reporter=user).select_related("category", "compound").order_by("-created_at")


def timeline(petition: Petition) -> QuerySet:
    return PetitionEvent.objects.filter(petition=petition).select_related("actor", "department").order_by("at", "pk")


def possible_duplicates(user, *, compound_id: int, category_id: int, now=None, exclude_pk=None) -> QuerySet:
    """Open petitions of the same compound and category from the last 7 days that the user may see."""
    now = now or timezone.now()
    qs = petitions_visible_to(user).filter(
        compound_id=compound_id, category_id=category_id, created_at__gte=now - DUPLICATE_WINDOW,
        status__in=HANDLER_TURN_STATES,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("-created_at")[:10]


def possible_originals(user, petition: Petition) -> QuerySet:
    """The open petitions `petition` may be merged into: same compound and category, opened within the duplicate
    window before it (or after it), not merged themselves, visible to the user. Not capped (unlike the list
    offered while writing): with a dozen callers about one broken lift, the first report must stay on offer."""
    return petitions_visible_to(user).filter(
        compound_id=petition.compound_id, category_id=petition.category_id,
        created_at__gte=petition.created_at - DUPLICATE_WINDOW, duplicate_of__isnull=True,
        status__in=HANDLER_TURN_STATES,
    ).exclude(pk=petition.pk).order_by("created_at", "pk")


def possible_duplicates_for_resident(*, compound_id: int, category_id: int, now=None) -> list[dict]:
    """For a resident writing a petition: that similar open ones exist, without other people's details."""
    now = now or timezone.now()
    return list(
        Petition.objects.filter(
            compound_id=compound_id, category_id=category_id, created_at__gte=now - DUPLICATE_WINDOW,
            status__in=HANDLER_TURN_STATES,
        ).order_by("-created_at").values("pk", "status", "created_at")[:10]
    )


def categories_for(user) -> QuerySet:
    return category_policy.visible(user).filter(is_active=True).order_by("district_id", "name")


# --- figures --------------------------------------------------------------------------------------------------

NODE_FIELDS = {"district": "district_id", "street": "street_id", "community": "community_id",
               "compound": "compound_id"}


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def petition_figures(node, start, end) -> dict:
    """Figures of a node's petitions created in [start, end): counts by channel and category, medians to accept
    and resolve, on-time, resolution, satisfaction, settled-in-compound and escalated shares, department
    response, and the change against the same period a year before. Read from the summary tables
    (`petitions.figures`): a fixed number of queries whatever the number of petitions; equal to
    `petition_figures_raw`, which counts the same from the raw rows (tested). Without PostgreSQL, the raw count."""
    if connection.vendor != "postgresql":
        return petition_figures_raw(node, start, end)
    bundle, previous = figures.read(str(node.level), node.pk, start, end, _year_before(start), _year_before(end))
    counts = bundle.counts
    categories = dict(Category.objects.filter(pk__in=list(bundle.by_category)).values_list("pk", "name")) \
        if bundle.by_category else {}
    by_category = Counter()
    for pk, n in bundle.by_category.items():
        by_category[categories.get(pk)] += n
    names = dict(Department.objects.filter(pk__in=list(bundle.departments)).values_list("pk", "name")) \
        if bundle.departments else {}
    departments = [
        {"department_id": pk, "department__name": names.get(pk), "calls": calls, "late": late, "answered": answered,
         "mean_response": _mean(total_us, answered)}
        for pk, (calls, late, answered, total_us) in sorted(bundle.departments.items())
    ]
    return _figures(
        total=counts["total"], rejected=counts["rejected"], merged=counts["merged"], resolved=counts["resolved"],
        on_time=counts["on_time"], in_compound=counts["in_compound"], escalated=counts["escalated"],
        ratings=counts["ratings"], satisfied=counts["satisfied"], by_channel=bundle.by_channel,
        by_category=by_category, median_to_accept=figures.median_of(bundle.to_accept),
        median_to_resolve=figures.median_of(bundle.to_resolve), departments=departments, previous=previous,
    )


def petition_figures_by_node(level: str, ids, start, end) -> dict[int, dict]:
    """{node id: counts of its petitions created in [start, end)} for the nodes `ids` of `level` (the children a
    dashboard ranks, the compounds of the strength index): total, rejected, merged, and of the petitions neither
    rejected nor merged (models.COUNTED) resolved, on_time, in_compound, escalated, and by the latest rating rated,
    rated_satisfied (4 or 5) and rating_sum. Nodes without petitions are left out. Read from the summary tables in two
    queries at most, whatever the number of nodes or petitions; without PostgreSQL, one grouped raw count."""
    if connection.vendor != "postgresql":
        return petition_figures_by_node_raw(level, ids, start, end)
    return {pk: {name: counts[name] for name in figures.NODE_COUNTS}
            for pk, counts in figures.read_by_node(level, ids, start, end).items()}


def petition_figures_by_node_raw(level: str, ids, start, end) -> dict[int, dict]:
    """`petition_figures_by_node` grouped from the raw rows in one query (a grouping of every petition of the
    nodes and period: without PostgreSQL, and the baseline the benchmarks compare the summaries with)."""
    column = NODE_FIELDS[level]
    rows = (Petition.objects.filter(**{f"{column}__in": list(ids)}, created_at__gte=start, created_at__lt=end)
            .values(column).annotate(**figures.RAW_COUNTS).order_by())
    return {row[column]: {name: row[name] for name in figures.NODE_COUNTS} for row in rows}


def _mean(total_us: int, count: int):
    """A mean duration to the microsecond (half to even) from a total in microseconds."""
    return datetime.timedelta(microseconds=round(Fraction(total_us, count))) if count else None


def _figures(*, total, rejected, merged, resolved, on_time, in_compound, escalated, ratings, satisfied, by_channel,
             by_category, median_to_accept, median_to_resolve, departments, previous) -> dict:
    # Every rate is of the petitions neither rejected nor merged (models.COUNTED); the volumes of all.
    countable = total - rejected - merged
    return {
        "total": total,
        "by_channel": {k: by_channel[k] for k in sorted(by_channel) if by_channel[k]},
        "by_category": {k: by_category[k] for k in sorted(by_category) if by_category[k]},
        "median_to_accept": median_to_accept,
        "median_to_resolve": median_to_resolve,
        "on_time_rate": _ratio(on_time, resolved),
        "resolution_rate": _ratio(resolved, countable),
        "satisfaction_rate": _ratio(satisfied, ratings),
        "settled_in_compound": _ratio(in_compound, resolved),
        "escalated_share": _ratio(escalated, countable),
        "departments": departments,
        "previous_year_total": previous,
        "year_on_year": _ratio(total - previous, previous),
    }


def petition_figures_raw(node, start, end) -> dict:
    """`petition_figures` counted from the raw rows with the ORM and Python: the oracle the summaries are tested
    against, not for pages (it groups every petition of the node and period). Medians by the summaries'
    histogram rule (`figures.median_of`), department means as total microseconds over answers."""
    where = {NODE_FIELDS[str(node.level)]: node.pk}
    rows = Petition.objects.filter(**where, created_at__gte=start, created_at__lt=end)
    totals = rows.aggregate(
        total=Count("pk"),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        merged=Count("pk", filter=Q(close_reason="merged")),
        resolved=Count("pk", filter=COUNTED & Q(resolved_at__isnull=False)),
        on_time=Count("pk", filter=COUNTED & Q(resolved_on_time=True)),
        in_compound=Count("pk", filter=COUNTED & Q(settled_level="compound")),
        escalated=Count("pk", filter=COUNTED & Q(escalations__gt=0)),
    )
    ratings = PetitionEvent.objects.filter(
        petition__in=rows.filter(COUNTED).values("pk"), kind="rated"
    ).aggregate(given=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=4)))
    departments = {}
    for pk, name, blown, answered, late in Whistle.objects.filter(petition__in=rows.values("pk")).values_list(
            "department_id", "department__name", "blown_at", "answered_at", "is_late"):
        d = departments.setdefault(pk, {"department_id": pk, "department__name": name, "calls": 0, "late": 0,
                                        "answered": 0, "us": 0})
        d["calls"] += 1
        d["late"] += late
        if answered is not None:
            d["answered"] += 1
            d["us"] += (answered - blown) // datetime.timedelta(microseconds=1)
    for d in departments.values():
        d["mean_response"] = _mean(d.pop("us"), d["answered"])
    previous = Petition.objects.filter(
        **where, created_at__gte=_year_before(start), created_at__lt=_year_before(end)
    ).count()
    return _figures(
        **{k: totals[k] for k in ("total", "rejected", "merged", "resolved", "on_time", "in_compound", "escalated")},
        ratings=ratings["given"], satisfied=ratings["satisfied"],
        by_channel=Counter(dict(rows.values_list("source").annotate(n=Count("pk")).order_by())),
        by_category=Counter(dict(rows.values_list("category__name").annotate(n=Count("pk")).order_by())),
        median_to_accept=_histogram_median(rows, "accepted_at"),
        median_to_resolve=_histogram_median(rows, "resolved_at"),
        departments=[departments[k] for k in sorted(departments)], previous=previous,
    )


def _histogram_median(rows, end: str):
    histogram = Counter(figures.bucket(b - a) for a, b in rows.filter(**{f"{end}__isnull": False})
                        .values_list("created_at", end))
    return figures.median_of(histogram)


def _year_before(moment):
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def reporter_phone_source(petition: Petition):
    """Where the reporter's number is kept: (the reporter's person record, or None, and the number). A resident's
    own report carries their account's person; a report recorded from another channel carries the number the
    caller gave (`reporter_phone`). The masked number shown and the whole one revealed come from the same place."""
    person = None
    if petition.reporter_id:
        person = getattr(petition.reporter, "person", None) if "reporter" in petition._state.fields_cache else (
            Person.objects.filter(user_id=petition.reporter_id).first())
    if person is not None and person.phone:
        return person, person.phone
    return None, petition.reporter_phone


def available_actions(user, petition: Petition) -> list[str]:
    """What the user may do to the petition now, for every door's buttons (admin panel, API `actions`, portal):
    the policy's moves, plus a called-in department's answer and a merge when an original is on offer."""
    names = petition_policy.actions_for(user, petition)
    # The department's own open call, asked directly: the policy answers "yes" to a superuser for everything,
    # but only a department's staff have a call to answer.
    departments = scope_for(user).departments
    if departments and petition.whistles.filter(department_id__in=departments, answered_at__isnull=True).exists():
        names.append("answer")
    mergeable = petition.status in HANDLER_TURN_STATES and petition.duplicate_of_id is None
    if mergeable and petition_policy.can(user, "merge", petition) and possible_originals(user, petition).exists():
        names.append("merge")
    return names


def staff_record(user, petition: Petition, now=None) -> dict:
    """What a petition's staff page shows everyone who may see it: the timeline (who did what, when; the
    reporter of an anonymous petition stays "anonymous" to those below the community), the whistles with their
    state and lateness, the petition it was merged into and the duplicates merged into it that the user sees.
    Three queries whatever the length of the record (a fourth for a merged duplicate's original)."""
    now = now or timezone.now()
    events = timeline_for(user, petition)
    whistles = list(Whistle.objects.filter(petition=petition).select_related("department").order_by("blown_at", "pk"))
    for whistle in whistles:
        whistle.late_now = whistle.is_late or (whistle.answered_at is None and whistle.due_at < now)
    duplicates = list(petitions_visible_to(user).filter(duplicate_of=petition).order_by("created_at", "pk"))
    # The original it was merged into, linked only if the user sees it (a firm may not see a committee's).
    original = petition_policy.visible(user).filter(pk=petition.duplicate_of_id).first() \
        if petition.duplicate_of_id else None
    return {"events": events, "whistles": whistles, "duplicates": duplicates, "original": original}


def timeline_for(user, petition: Petition) -> list[PetitionEvent]:
    """The petition's events in order, each with `actor_shown`: who acted, as this user may read it (the reporter
    of an anonymous petition stays "anonymous" to those below the community). One query; the staff page and the
    API both show it."""
    hidden = None if petition_policy.sees_reporter(user, petition) else petition.reporter_id
    events = list(PetitionEvent.objects.filter(petition=petition).select_related("actor__person", "department")
                  .order_by("at", "pk"))
    for event in events:
        event.actor_shown = _actor_name(event.actor, hidden)
    return events


def _actor_name(actor, hidden_id) -> str:
    if actor is None:
        return _("the system")
    if actor.pk == hidden_id:
        return _("anonymous")
    person = getattr(actor, "person", None)
    return person.name if person else actor.get_username()


def firm_compound_figures(district_id: int, start, end) -> dict[tuple[int, int], dict]:
    """Per (firm, compound) of the district, the petitions the firm handled that were created in [start, end):
    counted (neither rejected nor merged), resolved, resolved on time, ratings given and their sum. One grouped
    query, whatever the number of firms (the firms' quarterly evaluation reads it)."""
    rows = Petition.objects.filter(
        district_id=district_id, handler_firm_id__isnull=False, created_at__gte=start, created_at__lt=end,
    ).filter(COUNTED).values("handler_firm_id", "compound_id").annotate(
        counted=Count("pk"),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        on_time=Count("pk", filter=Q(resolved_on_time=True)),
        rated=Count("rating"),
        rating_sum=Sum("rating"),
    ).order_by()
    return {(r.pop("handler_firm_id"), r.pop("compound_id")): r for r in rows}
