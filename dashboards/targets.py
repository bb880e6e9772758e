"""Every campaign target the platform's data can measure (攻坚任务清单), defined once here at the top floor.

Each measure is one grouped query giving {community id: (hit, total)} for a district; the progress per street and
community is summed from those rows by governance.selectors.targets_progress, which every caller asks (the API's
progress routes, the admin's progress page, the dashboards). This module registers the measures there from
DashboardsConfig.ready(): governance sits below the apps most measures read (properties, petitions, ledger,
rankings) and may not import them, and a registry keeps one progress function and its callers unchanged, where
moving the routes up would have split the campaign table's API and admin between two apps.

Shares are hit / total. A "fall against the year before" is a share too: hit is how many fewer petitions came
this year than in the same span of the year before (negative when more came), total is last year's count, so
0.3 means down 30% and sums per street stay exact. Windows run from the campaign's start (the target's own
`starts_on`, else 1 January of its deadline's year) to the measuring day or the deadline, whichever is first.

Rows of Gongshu's 2021 table that no data here records stay unmeasured: the street offices' staffing and
meetings (1, 2; streets keep no meeting records on the platform), training (15), model compounds (16),
enforcement campaigns (17), needs and resources lists (18), project and service funds (19, 20), the post
stations (21) and the social organizations' register (22).
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Building, Community, Compound, Role, RoleAssignment
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BodyMember,
    CampaignTarget,
    Coverage,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
)
from governance.selectors import CampaignMeasure, MeasureAsked, register_measures
from ledger.common import statements_of_month
from petitions.models import CloseReason, Petition, Whistle
from properties import selectors as property_selectors
from properties.models import Contract
from rankings.models import FirmResult, Period, Placement, Score

M = CampaignTarget.Measure


# --- windows ---------------------------------------------------------------------------------------------------

def window(asked: MeasureAsked) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a windowed measure, as local midnights: from the campaign's start (its own, else 1 January of
    the deadline's year) to the day after the measuring day or the deadline, whichever comes first."""
    first = asked.starts_on or datetime.date(asked.deadline.year, 1, 1)
    last = min(asked.today, asked.deadline)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, max(start, end)


def year_before(moment: datetime.datetime) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def last_complete_month(asked: MeasureAsked) -> tuple[int, int]:
    """(year, month) of the last month over before the measuring day or the deadline, whichever comes first: a
    month's statement is published once the month is over."""
    day = min(asked.today, asked.deadline).replace(day=1) - datetime.timedelta(days=1)
    return day.year, day.month


def _rows(qs) -> dict[int, tuple[int, int]]:
    return {row["community_id"]: (row["hit"], row["total"]) for row in qs.order_by()}


def _compound_share(asked: MeasureAsked, hit) -> dict[int, tuple[int, int]]:
    """Compounds of the district per community: all of them, and those matching `hit` (a condition on the
    compound)."""
    return _rows(Compound.objects.filter(district_id=asked.district_id).values("community_id").annotate(
        total=Count("pk"), hit=Count("pk", filter=hit)))


# --- governance: coverage, committees, members, buildings, ballots ---------------------------------------------

def party_organization_coverage(asked):
    return _compound_share(asked, Q(Exists(PartyOrganization.objects.filter(compound_id=OuterRef("pk")))))


def commissioner_coverage(asked):
    return _compound_share(asked, Q(Exists(RoleAssignment.objects.filter(
        compound_id=OuterRef("pk"), role=Role.COMMISSIONER))))


def owners_committee_coverage(asked):
    return _compound_share(asked, Q(Exists(Body.objects.filter(
        compound_id=OuterRef("pk"), kind__in=Body.OWNERS_COMMITTEE_KINDS))))


def committee_party_member_share(asked):
    members = BodyMember.objects.filter(body__district_id=asked.district_id, body__kind__in=Body.OWNERS_COMMITTEE_KINDS)
    if asked.starts_on:
        members = members.filter(body__formed_on__gte=asked.starts_on)
    return _rows(members.values(community_id=F("body__compound__community_id")).annotate(
        total=Count("pk"), hit=Count("pk", filter=Q(is_party_member=True))))


def committee_party_coverage(asked):
    return _rows(PartyCoverage.objects.filter(
        body__district_id=asked.district_id, body__kind__in=Body.OWNERS_COMMITTEE_KINDS,
    ).values(community_id=F("body__compound__community_id")).annotate(
        total=Count("pk"), hit=Count("pk", filter=~Q(coverage=Coverage.NONE))))


def member_reporting_rate(asked):
    return _rows(PartyMember.objects.filter(district_id=asked.district_id, kind=PartyMember.Kind.IN_SERVICE).values(
        "community_id").annotate(total=Count("pk"), hit=Count("pk", filter=Q(reported_on__isnull=False))))


def building_head_coverage(asked):
    return _rows(Building.objects.filter(district_id=asked.district_id).values("community_id").annotate(
        total=Count("pk"), hit=Count("head")))


def electronic_ballot_share(asked):
    # A council votes in the meeting room, so its ballots do not count towards the online share.
    return _rows(Ballot.objects.filter(vote__district_id=asked.district_id, vote__is_council=False).values(
        community_id=F("vote__compound__community_id")).annotate(
        total=Count("pk"), hit=Count("pk", filter=Q(channel=Ballot.Channel.ELECTRONIC))))


def community_office_coverage(asked):
    rows = Community.objects.filter(district_id=asked.district_id).annotate(hit=Exists(RoleAssignment.objects.filter(
        community_id=OuterRef("pk"), role=Role.COMMUNITY_OFFICE))).values_list("pk", "hit")
    return {pk: (int(hit), 1) for pk, hit in rows}


def party_first_review(asked):
    start, end = window(asked)
    return _rows(AgendaItem.objects.filter(
        district_id=asked.district_id, is_major=True, meeting__held_at__gte=start, meeting__held_at__lt=end,
    ).values(community_id=F("meeting__community_id")).annotate(
        total=Count("pk"), hit=Count("pk", filter=Q(pre_reviewed_at__isnull=False))))


# --- properties: professional management and the zeroing of unmanaged compounds (清零) ------------------------

def _zeroing(asked):
    return property_selectors.zeroing_figures(Compound.objects.filter(district_id=asked.district_id), by="community_id")


def professional_coverage(asked):
    return {r["community_id"]: (r["professional"], r["compounds"]) for r in _zeroing(asked)}


def unmanaged_zeroed(asked):
    return {r["community_id"]: (r["compounds"] - r["unmanaged"], r["compounds"]) for r in _zeroing(asked)}


# --- petitions: the fall against the year before, the departments' answers to whistles -----------------------

def complaint_reduction(asked):
    start, end = window(asked)
    before_start, before_end = year_before(start), year_before(end)
    # A duplicate merged into its original is one complaint, counted once.
    rows = Petition.objects.filter(district_id=asked.district_id, created_at__gte=before_start, created_at__lt=end) \
        .exclude(close_reason=CloseReason.MERGED).values("community_id").annotate(
            now=Count("pk", filter=Q(created_at__gte=start)),
            before=Count("pk", filter=Q(created_at__lt=before_end))).order_by()
    return {r["community_id"]: (r["before"] - r["now"], r["before"]) for r in rows}


def whistles_answered(asked):
    start, end = window(asked)
    # Only whistles whose answer was due by the end of the window count; the answer counts when given by then.
    return _rows(Whistle.objects.filter(
        district_id=asked.district_id, blown_at__gte=start, blown_at__lt=end, due_at__lt=end,
    ).values(community_id=F("petition__community_id")).annotate(
        total=Count("pk"), hit=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at")))))


# --- ledger: common-part income and expenses published online ----------------------------------------------

def statements_published(asked):
    year, month = last_complete_month(asked)
    return _compound_share(asked, Q(Exists(statements_of_month(year, month).filter(compound_id=OuterRef("pk")))))


# --- rankings: the firms' evaluation and the red/black list ------------------------------------------------

def _latest_published(asked):
    return Period.objects.filter(district_id=asked.district_id, status=Period.Status.PUBLISHED,
                                 ends_on__lt=asked.today).order_by("-year", "-quarter").values("pk")[:1]


def _served(asked, hit):
    return _rows(Contract.objects.filter(district_id=asked.district_id, status=Contract.Status.ACTIVE).values(
        community_id=F("compound__community_id")).annotate(total=Count("compound_id", distinct=True),
                                                           hit=Count("compound_id", distinct=True, filter=hit)))


def firms_evaluated(asked):
    return _served(asked, Q(Exists(Score.objects.filter(
        period_id=Subquery(_latest_published(asked)), firm_id=OuterRef("firm_id"), compound_id=OuterRef("compound_id")))))


def firms_off_black_list(asked):
    return _served(asked, ~Q(Exists(FirmResult.objects.filter(
        period_id=Subquery(_latest_published(asked)), firm_id=OuterRef("firm_id"), placement=Placement.BLACK))))


MEASURES = [
    CampaignMeasure(M.PARTY_ORGANIZATION_COVERAGE, _(
        "Compounds with a party organization of their own, of all compounds."), party_organization_coverage),
    CampaignMeasure(M.COMMISSIONER_COVERAGE, _(
        "Compounds with a commissioner assigned, of all compounds."), commissioner_coverage),
    CampaignMeasure(M.OWNERS_COMMITTEE_COVERAGE, _(
        "Compounds with an owners' committee or an interim management committee, of all compounds."),
        owners_committee_coverage),
    CampaignMeasure(M.COMMITTEE_PARTY_MEMBER_SHARE, _(
        "Party members among the members of owners' committees formed since the campaign start (all committees "
        "when it has none)."), committee_party_member_share),
    CampaignMeasure(M.COMMITTEE_PARTY_COVERAGE, _(
        "Owners' committees covered by a party organization in any form, of the committees recorded."),
        committee_party_coverage),
    CampaignMeasure(M.MEMBER_REPORTING_RATE, _(
        "In-service party members who reported to their home community, of all in-service members."),
        member_reporting_rate),
    CampaignMeasure(M.BUILDING_HEAD_COVERAGE, _(
        "Buildings with a building head, of all buildings."), building_head_coverage),
    CampaignMeasure(M.ELECTRONIC_BALLOT_SHARE, _(
        "Owners' ballots cast electronically, of all owners' ballots (council ballots are cast in the room and "
        "left out)."), electronic_ballot_share),
    CampaignMeasure(M.COMMUNITY_OFFICE_COVERAGE, _(
        "Communities whose three-party office works on the platform (a community-office login), of all "
        "communities."), community_office_coverage),
    CampaignMeasure(M.PROFESSIONAL_COVERAGE, _(
        "Compounds whose management mode is a professional property firm, of all compounds."),
        professional_coverage),
    CampaignMeasure(M.UNMANAGED_ZEROED, _(
        "Compounds that are not unmanaged (any management mode or custody), of all compounds."), unmanaged_zeroed),
    CampaignMeasure(M.COMPLAINT_REDUCTION, _(
        "Fall in petitions (merged duplicates counted once) from the campaign start to the measuring day, against "
        "the same span a year before: (last year − this year) / last year; 0.3 is down 30%."), complaint_reduction),
    CampaignMeasure(M.STATEMENTS_PUBLISHED, _(
        "Compounds that published the common-part income and expenses statement of the last month over, of all "
        "compounds."), statements_published),
    CampaignMeasure(M.PARTY_FIRST_REVIEW, _(
        "Major agenda items of meetings held since the campaign start that the party organization reviewed first, "
        "of all major items."), party_first_review),
    CampaignMeasure(M.WHISTLES_ANSWERED, _(
        "Whistles blown since the campaign start and due by the measuring day that the department answered by "
        "the due time, of all those whistles."), whistles_answered),
    CampaignMeasure(M.FIRMS_EVALUATED, _(
        "Compounds served under an active contract whose firm was scored there in the latest published quarter, "
        "of all served compounds."), firms_evaluated),
    CampaignMeasure(M.FIRMS_OFF_BLACK_LIST, _(
        "Compounds served under an active contract whose firm is not on the latest published black list, of all "
        "served compounds."), firms_off_black_list),
]


def register() -> None:
    register_measures(MEASURES)
