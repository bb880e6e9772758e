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

The rows no other record could measure read what the campaign keeps for them (governance/models/campaign.py):
the street offices with their staff (rows 1, 2: a street's own rows, beside its communities'), and the campaign's
records — joint meetings, trainings, honours, enforcement, projects, funds, stations and social organizations
(rows 15–22). Four measures count things against a number to reach (CampaignTarget.COUNT_MEASURES): hit is the
number counted, total 0, and only the overall figure is held against the target.
"""

import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Building, Community, Compound, Role, RoleAssignment, Street
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BodyMember,
    CampaignRecord,
    CampaignTarget,
    Coverage,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    StreetOffice,
    StreetOfficeStaff,
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


def window_days(asked: MeasureAsked) -> tuple[datetime.date, datetime.date]:
    """The same window as dates, both ends included, for records kept by the day."""
    first = asked.starts_on or datetime.date(asked.deadline.year, 1, 1)
    return first, min(asked.today, asked.deadline)


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


# --- the street offices and the campaign's records (governance/models/campaign.py) ------------------------------

K = CampaignRecord.Kind
Post = StreetOfficeStaff.Post
SOCIAL_ORGANIZATIONS_PER_COMMUNITY = 18
TRAINED_ROLES = (Role.STREET_OFFICE, Role.COMMUNITY_OFFICE, Role.COMMISSIONER, Role.COMMITTEE_MEMBER)


def _records(asked, kind):
    first, last = window_days(asked)
    return CampaignRecord.objects.filter(district_id=asked.district_id, kind=kind, on__gte=first, on__lte=last)


def _street_share(asked, hit) -> dict[int, tuple[int, int]]:
    rows = Street.objects.filter(district_id=asked.district_id).annotate(hit=hit).values_list("pk", "hit")
    return {pk: (int(hit), 1) for pk, hit in rows}


def _community_share(asked, hit) -> dict[int, tuple[int, int]]:
    rows = Community.objects.filter(district_id=asked.district_id).annotate(hit=hit).values_list("pk", "hit")
    return {pk: (int(hit), 1) for pk, hit in rows}


def street_offices_set_up(asked):
    _first, last = window_days(asked)
    office = StreetOffice.objects.filter(street_id=OuterRef("pk"), set_up_on__lte=last, yearly_funding__gt=0) \
        .exclude(venue="").filter(Exists(StreetOfficeStaff.objects.filter(office_id=OuterRef("pk"))))
    meeting = _records(asked, K.JOINT_MEETING).filter(street_id=OuterRef("pk"))
    return _street_share(asked, Exists(office) & Exists(meeting))


def street_offices_staffed(asked):
    staff = StreetOfficeStaff.objects.filter(street_id=OuterRef("pk"))
    staff_count = staff.filter(post=Post.STAFF).order_by().values("street_id").annotate(n=Count("pk")).values("n")
    rows = Street.objects.filter(district_id=asked.district_id).annotate(
        director=Exists(staff.filter(post=Post.DIRECTOR, is_deputy_secretary=True)),
        cadre=Exists(staff.filter(post=Post.CADRE)),
        staff=Coalesce(Subquery(staff_count, output_field=IntegerField()), 0),
    ).values_list("pk", "director", "cadre", "staff")
    return {pk: (int(director and cadre and n >= 2), 1) for pk, director, cadre, n in rows}


def _post_holders(asked):
    trained = _records(asked, K.TRAINING).filter(person_id=OuterRef("user_id"))
    return RoleAssignment.objects.filter(district_id=asked.district_id, role__in=TRAINED_ROLES).annotate(
        trained=Exists(trained))


def onboarding_training(asked):
    # A community office is held at its community; a commissioner's or committee member's post at a compound.
    rows = _post_holders(asked).exclude(role=Role.STREET_OFFICE).values(
        place=Coalesce("community_id", "compound__community_id")).annotate(
        total=Count("pk"), hit=Count("pk", filter=Q(trained=True))).order_by()
    return {r["place"]: (r["hit"], r["total"]) for r in rows}


def onboarding_training_of_streets(asked):
    rows = _post_holders(asked).filter(role=Role.STREET_OFFICE).values("street_id").annotate(
        total=Count("pk"), hit=Count("pk", filter=Q(trained=True))).order_by()
    return {r["street_id"]: (r["hit"], r["total"]) for r in rows}


def _counted(kind):
    def rows(asked):
        return _rows(_records(asked, kind).values("community_id").annotate(hit=Count("pk"), total=Value(0)))
    return rows


def _communities_with(kind):
    def rows(asked):
        return _community_share(asked, Exists(_records(asked, kind).filter(community_id=OuterRef("pk"))))
    return rows


def social_organizations(asked):
    _first, last = window_days(asked)
    registered = CampaignRecord.objects.filter(community_id=OuterRef("pk"), kind=K.SOCIAL_ORGANIZATION,
                                               on__lte=last).order_by().values("community_id").annotate(
        n=Count("pk")).values("n")
    rows = Community.objects.filter(district_id=asked.district_id).annotate(
        n=Coalesce(Subquery(registered, output_field=IntegerField()), 0)).values_list("pk", "n")
    return {pk: (int(n >= SOCIAL_ORGANIZATIONS_PER_COMMUNITY), 1) for pk, n in rows}


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
    CampaignMeasure(M.STREET_OFFICES_SET_UP, _(
        "Streets whose three-party office was set up by the measuring day with a venue, yearly funding and at "
        "least one person, and whose street held a joint meeting since the campaign start, of all streets."),
        None, street_offices_set_up),
    CampaignMeasure(M.STREET_OFFICES_STAFFED, _(
        "Streets whose three-party office has the street party working committee's deputy secretary as its "
        "director, a district-managed cadre in charge of daily work and at least two staff members, of all "
        "streets."), None, street_offices_staffed),
    CampaignMeasure(M.ONBOARDING_TRAINING, _(
        "Holders of a street office, community office, commissioner or owners' committee post on the platform "
        "who attended an onboarding training since the campaign start, of all those post holders (firm staff "
        "are held at their firm, not a community, and are left out)."),
        onboarding_training, onboarding_training_of_streets),
    CampaignMeasure(M.ENFORCEMENT_IN_COMMUNITIES, _(
        "Communities where law enforcement came into the community since the campaign start, of all "
        "communities."), _communities_with(K.ENFORCEMENT)),
    CampaignMeasure(M.CO_BUILDING_PROJECTS, _(
        "Communities that matched their needs and resources lists in a co-building project since the campaign "
        "start, of all communities."), _communities_with(K.CO_BUILDING_PROJECT)),
    CampaignMeasure(M.MICRO_PROJECTS_FUNDED, _(
        "Communities with a micro-project granted special funds since the campaign start, of all communities."),
        _communities_with(K.MICRO_PROJECT)),
    CampaignMeasure(M.SERVICE_FUNDS_GRANTED, _(
        "Communities whose party organization was granted its fund for serving the people since the campaign "
        "start, of all communities."), _communities_with(K.SERVICE_FUND)),
    CampaignMeasure(M.SOCIAL_ORGANIZATIONS, _(
        "Communities with at least 18 social organizations in the register by the measuring day, of all "
        "communities."), social_organizations),
    CampaignMeasure(M.DEMONSTRATION_COMPOUNDS, _(
        "Compounds named micro-governance demonstration compounds since the campaign start, counted against the "
        "number to reach."), _counted(K.DEMONSTRATION_COMPOUND)),
    CampaignMeasure(M.MODEL_COMMISSIONERS, _(
        "Commissioners named model commissioners since the campaign start, counted against the number to "
        "reach."), _counted(K.MODEL_COMMISSIONER)),
    CampaignMeasure(M.BEAUTIFUL_HOMES, _(
        "Compounds named beautiful homes since the campaign start, counted against the number to reach."),
        _counted(K.BEAUTIFUL_HOME)),
    CampaignMeasure(M.POST_STATIONS, _(
        "Post stations for retired cadres built since the campaign start, counted against the number to reach."),
        _counted(K.STATION)),
]


def register() -> None:
    register_measures(MEASURES)
