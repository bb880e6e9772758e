"""Reads of petitions: scoped lists and work queues, the timeline, possible duplicates, figures."""

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Person
from communities.scope import scope_for
from petitions.models import (
    DUPLICATE_WINDOW,
    HANDLER_TURN_STATES,
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


class Median(Aggregate):
    """PostgreSQL's median (percentile_cont); other databases get the median computed from the values."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _median(qs, start: str, end: str):
    duration = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    qs = qs.filter(**{f"{end}__isnull": False})
    if connection.vendor == "postgresql":
        return qs.aggregate(m=Median(duration))["m"]
    values = sorted(b - a for a, b in qs.values_list(start, end))
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def petition_figures(node, start, end) -> dict:
    """Figures of a node's petitions created in [start, end): counts by channel and category, medians to accept
    and resolve, on-time, resolution, satisfaction, settled-in-compound and escalated shares, department
    response, and the change against the same period a year before. SQL aggregates throughout."""
    where = {NODE_FIELDS[str(node.level)]: node.pk}
    rows = Petition.objects.filter(**where, created_at__gte=start, created_at__lt=end)
    totals = rows.aggregate(
        total=Count("pk"),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        merged=Count("pk", filter=Q(close_reason="merged")),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        on_time=Count("pk", filter=Q(resolved_on_time=True)),
        in_compound=Count("pk", filter=Q(settled_level="compound")),
        escalated=Count("pk", filter=Q(escalations__gt=0)),
    )
    ratings = PetitionEvent.objects.filter(
        petition__in=rows.values("pk"), kind="rated"
    ).aggregate(given=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=4)))
    whistles = Whistle.objects.filter(petition__in=rows.values("pk"))
    departments = list(
        whistles.values("department_id", "department__name").annotate(
            calls=Count("pk"), late=Count("pk", filter=Q(is_late=True)),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            mean_response=Avg(ExpressionWrapper(F("answered_at") - F("blown_at"), output_field=DurationField())),
        ).order_by("department_id")
    )
    previous = Petition.objects.filter(
        **where, created_at__gte=_year_before(start), created_at__lt=_year_before(end)
    ).count()
    countable = totals["total"] - totals["rejected"] - totals["merged"]
    return {
        "total": totals["total"],
        "by_channel": dict(rows.values_list("source").annotate(n=Count("pk")).order_by("source")),
        "by_category": dict(rows.values_list("category__name").annotate(n=Count("pk")).order_by("category__name")),
        "median_to_accept": _median(rows, "created_at", "accepted_at"),
        "median_to_resolve": _median(rows, "created_at", "resolved_at"),
        "on_time_rate": _ratio(totals["on_time"], totals["resolved"]),
        "resolution_rate": _ratio(totals["resolved"], countable),
        "satisfaction_rate": _ratio(ratings["satisfied"], ratings["given"]),
        "settled_in_compound": _ratio(totals["in_compound"], totals["resolved"]),
        "escalated_share": _ratio(totals["escalated"], totals["total"]),
        "departments": departments,
        "previous_year_total": previous,
        "year_on_year": _ratio(totals["total"] - previous, previous),
    }


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
    ).exclude(status=Status.REJECTED).exclude(close_reason="merged").values("handler_firm_id", "compound_id").annotate(
        counted=Count("pk"),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        on_time=Count("pk", filter=Q(resolved_on_time=True)),
        rated=Count("rating"),
        rating_sum=Sum("rating"),
    ).order_by()
    return {(r.pop("handler_firm_id"), r.pop("compound_id")): r for r in rows}
