"""The raw figures of every compound of a district for the strength index on a date: a fixed number of grouped
queries (one per source, each GROUP BY compound), whatever the number of compounds — never a query per compound.
The definitions they serve are in indicators.py."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from communities.models import Building, Compound, Role, RoleAssignment
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BodyMember,
    Coverage,
    CrossAppointment,
    Meeting,
    PartyCoverage,
    PartyOrganization,
    Vote,
    Voter,
)
from ledger.fees import collection_rates
from ledger.models import MonthlyStatement
from petitions.models import Whistle
from petitions.selectors import petition_figures_by_node
from rankings.models import Period, Score, SurveyAnswer

YEAR = datetime.timedelta(days=365)

ZERO = {
    "committee_members": 0, "committee_party_members": 0, "buildings": 0, "buildings_headed": 0, "meetings": 0,
    "voters": 0, "ballots": 0, "electronic_ballots": 0, "major_items": 0, "major_reviewed": 0, "petitions": 0,
    "resolved": 0, "on_time": 0, "in_compound": 0, "escalated": 0, "rated": 0, "rating_sum": 0, "whistles": 0,
    "whistles_in_time": 0, "fee_rate": None, "statement_months": 0, "survey_answers": 0,
    "survey_sum": 0,
}


def year_to(on: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the 365 days up to and including `on`, as local midnights."""
    tz = timezone.get_current_timezone()
    end = datetime.datetime.combine(on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return end - YEAR, end


def last_twelve_months(on: datetime.date) -> Q:
    """The statements of the twelve complete months before `on`'s month."""
    q, year, month = Q(pk__in=[]), on.year, on.month
    for _i in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        q |= Q(year=year, month=month)
    return q


def _merge(out: dict, rows, *fields) -> None:
    for row in rows:
        target = out.get(row["compound_id"])
        if target is not None:
            for name in fields:
                target[name] = row[name] or 0


def district_figures(district_id: int, on: datetime.date) -> dict[int, dict]:
    """{compound id: raw figures} for every compound of the district on `on` (see ZERO for the names)."""
    start, end = year_to(on)
    compounds = Compound.objects.filter(district_id=district_id).annotate(
        party_organization=Exists(PartyOrganization.objects.filter(compound_id=OuterRef("pk"))),
        commissioner=Exists(RoleAssignment.objects.filter(compound_id=OuterRef("pk"), role=Role.COMMISSIONER)),
        owners_committee=Exists(Body.objects.filter(compound_id=OuterRef("pk"), kind__in=Body.OWNERS_COMMITTEE_KINDS)),
        committee_covered=Exists(PartyCoverage.objects.filter(
            body__compound_id=OuterRef("pk"), body__kind__in=Body.OWNERS_COMMITTEE_KINDS).exclude(
            coverage=Coverage.NONE)),
        cross_appointment=Exists(CrossAppointment.objects.filter(compound_id=OuterRef("pk"))),
        # The compound's score in the latest published quarter that ended before the date.
        firm_score=Subquery(Score.objects.filter(
            compound_id=OuterRef("pk"), period__status=Period.Status.PUBLISHED, period__ends_on__lt=on,
        ).order_by("-period__year", "-period__quarter", "-score").values("score")[:1]),
    ).values("pk", "street_id", "community_id", "management_mode", "party_organization", "commissioner",
             "owners_committee", "committee_covered", "cross_appointment", "firm_score").order_by("pk")
    out = {}
    for row in compounds:
        out[row.pop("pk")] = {**ZERO, **row}
    if not out:
        return out
    in_district = {"district_id": district_id}

    _merge(out, BodyMember.objects.filter(body__district_id=district_id, body__kind__in=Body.OWNERS_COMMITTEE_KINDS)
           .values(compound_id=F("body__compound_id")).annotate(
               committee_members=Count("pk"), committee_party_members=Count("pk", filter=Q(is_party_member=True)))
           .order_by(), "committee_members", "committee_party_members")
    _merge(out, Building.objects.filter(**in_district).values("compound_id").annotate(
        buildings=Count("pk"), buildings_headed=Count("head")).order_by(), "buildings", "buildings_headed")
    _merge(out, Meeting.objects.filter(**in_district, held_at__gte=start, held_at__lt=end).values("compound_id")
           .annotate(meetings=Count("pk")).order_by(), "meetings")
    votes = {"vote__district_id": district_id, "vote__is_council": False, "vote__status": Vote.Status.CLOSED,
             "vote__closed_at__gte": start, "vote__closed_at__lt": end}
    _merge(out, Voter.objects.filter(**votes).values(compound_id=F("vote__compound_id")).annotate(
        voters=Count("pk")).order_by(), "voters")
    _merge(out, Ballot.objects.filter(**votes).values(compound_id=F("vote__compound_id")).annotate(
        ballots=Count("pk"), electronic_ballots=Count("pk", filter=Q(channel=Ballot.Channel.ELECTRONIC))).order_by(),
        "ballots", "electronic_ballots")
    _merge(out, AgendaItem.objects.filter(**in_district, is_major=True, meeting__held_at__gte=start,
                                          meeting__held_at__lt=end).values("compound_id").annotate(
        major_items=Count("pk"), major_reviewed=Count("pk", filter=Q(pre_reviewed_at__isnull=False))).order_by(),
        "major_items", "major_reviewed")
    # The dashboards' own petition counts (the summary rows, one query for every compound: the year is whole days),
    # so that a compound's rates here are the figures its dashboard shows for the same 365 days.
    for compound_id, counts in petition_figures_by_node("compound", list(out), start, end).items():
        target = out.get(compound_id)
        if target is not None:
            target["petitions"] = counts["total"] - counts["rejected"] - counts["merged"]
            for name in ("resolved", "on_time", "in_compound", "escalated", "rated", "rating_sum"):
                target[name] = counts[name]
    _merge(out, Whistle.objects.filter(**in_district, blown_at__gte=start, blown_at__lt=end, due_at__lt=end)
           .values(compound_id=F("petition__compound_id")).annotate(
               whistles=Count("pk"),
               whistles_in_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))))
           .order_by(), "whistles", "whistles_in_time")
    for compound_id, row in collection_rates(list(out), year=on.year).items():
        out[compound_id]["fee_rate"] = row["rate"]
    _merge(out, MonthlyStatement.objects.filter(last_twelve_months(on), **in_district).values("compound_id")
           .annotate(statement_months=Count("pk")).order_by(), "statement_months")
    _merge(out, SurveyAnswer.objects.filter(period__district_id=district_id, answered_at__gte=start,
                                            answered_at__lt=end).values("compound_id").annotate(
        survey_answers=Count("pk"), survey_sum=Sum("score")).order_by(), "survey_answers", "survey_sum")
    return out

