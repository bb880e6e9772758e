"""Reads of ratings and lists: the priority order of firms wherever one is chosen, a firm's record, the lists."""

from django.db.models import Avg, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from properties.models import Firm
from rankings.models import FirmResult, Period, Placement, Stars, SurveyAnswer


def firms_by_priority(district_id: int, *, year: int) -> QuerySet:
    """The district's firms in priority order (see `prioritised`)."""
    return prioritised(Firm.objects.filter(district_id=district_id), year=year)


def prioritised(firms: QuerySet, *, year: int) -> QuerySet:
    """`firms` in priority order, for choosing a firm for a new contract, a renewal or a takeover: first those with
    five stars or a red listing (in the year before `year` and since), then by stars, red listings and name. Each
    firm carries `star_rating` (the latest year before `year`, 0 unrated), `red_listings` and `priority`. One
    query."""
    latest_stars = Stars.objects.filter(firm_id=OuterRef("pk"), year__lt=year).order_by("-year").values("stars")[:1]
    return firms.annotate(
        star_rating=Coalesce(Subquery(latest_stars, output_field=IntegerField()), Value(0)),
        red_listings=Count("ranking_results", filter=Q(
            ranking_results__placement=Placement.RED, ranking_results__period__year__gte=year - 1,
            ranking_results__period__status=Period.Status.PUBLISHED)),
    ).annotate(
        priority=Case(When(Q(star_rating=5) | Q(red_listings__gt=0), then=Value(1)), default=Value(0)),
    ).order_by("-priority", "-star_rating", "-red_listings", "name")


def published_results(district_id: int) -> QuerySet:
    """The district's published lists, newest first, with the firm."""
    return FirmResult.objects.filter(period__district_id=district_id, period__status=Period.Status.PUBLISHED) \
        .select_related("period", "firm").order_by("-period__year", "-period__quarter", "rank")


def firm_record(firm_id: int) -> dict:
    """A firm's published list history and its stars by year, for the portal."""
    return {
        "results": list(FirmResult.objects.filter(firm_id=firm_id, period__status=Period.Status.PUBLISHED)
                        .select_related("period").order_by("-period__year", "-period__quarter")),
        "stars": list(Stars.objects.filter(firm_id=firm_id).order_by("-year")),
    }


def open_survey(household, *, today) -> dict | None:
    """The quarter's survey for the household, if one is open: {"period", "answered"}."""
    period = Period.objects.filter(district_id=household.district_id, starts_on__lte=today, ends_on__gte=today,
                                   status=Period.Status.OPEN).first()
    if period is None:
        return None
    return {"period": period,
            "answered": SurveyAnswer.objects.filter(period=period, household_id=household.pk).exists()}


def best_red_firms(district_ids, *, year: int, limit: int = 10) -> list[Firm]:
    """The year's "ten best red firms": the most red listings in the year's published quarters, then the best
    mean score. One query."""
    return list(Firm.objects.filter(
        district_id__in=district_ids, ranking_results__placement=Placement.RED,
        ranking_results__period__year=year, ranking_results__period__status=Period.Status.PUBLISHED,
    ).annotate(red_count=Count("ranking_results"), red_mean=Avg("ranking_results__score"))
        .order_by("-red_count", "-red_mean", "name")[:limit])
