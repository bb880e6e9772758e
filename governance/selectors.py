"""Reads of the governance side: electorates and vote counts, live turnout, households still to visit, coverage
figures, whether a candidate is electable."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from communities.models import Building, Community, Compound, Household, Residency, Role, RoleAssignment
from governance import tally
from governance.models import (
    Ballot,
    Body,
    BodyMember,
    CampaignTarget,
    Candidate,
    CouncilMember,
    Coverage,
    CrossAppointment,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    PartyOrganizationMember,
    Vetting,
    Vote,
    Voter,
)


def _share(part, whole) -> str | None:
    """A share as a decimal string with four places, exact until the final rounding; None for an empty whole."""
    if not whole:
        return None
    value = Fraction(part) / Fraction(whole)
    return f"{float(value):.4f}"


def vote_summary(vote: Vote) -> dict:
    """Counts, live turnout by head and by area, and the result (`pending` while open)."""
    if vote.status == Vote.Status.CLOSED and vote.counts:
        counts = tally.Counts.from_json(vote.counts)
    else:
        counts = vote_counts(vote)
    return {
        "counts": counts.as_json(),
        "turnout_heads": _share(counts.participating_heads, counts.eligible_heads),
        "turnout_area": _share(counts.participating_area, counts.eligible_area),
        "result": vote.result if vote.status == Vote.Status.CLOSED else "pending",
    }


def households_not_voted(vote: Vote) -> list[dict]:
    """Per building, the households whose voter has not cast a ballot yet: for door-to-door follow-up."""
    voted = Ballot.objects.filter(vote=vote).values_list("voter_id", flat=True)
    pending_households = []
    for households in Voter.objects.filter(vote=vote).exclude(pk__in=voted).values_list("households", flat=True):
        pending_households += households
    rows = (
        Household.objects.filter(pk__in=pending_households)
        .select_related("building").order_by("building__name", "unit", "room")
    )
    by_building: dict[int, dict] = {}
    for h in rows:
        entry = by_building.setdefault(h.building_id, {"building": h.building.name, "building_id": h.building_id,
                                                       "households": []})
        entry["households"].append({"id": h.pk, "unit": h.unit, "room": h.room})
    for entry in by_building.values():
        entry["count"] = len(entry["households"])
    return list(by_building.values())


def open_votes_for(user, compound_ids) -> list[Vote]:
    """The open votes of the given compounds, each with `my_ballot` (the user's own ballot or None)."""
    votes = list(
        Vote.objects.filter(compound_id__in=compound_ids, status=Vote.Status.OPEN)
        .select_related("item", "compound").order_by("deadline")
    )
    mine = {
        b.vote_id: b for b in Ballot.objects.filter(vote__in=votes, voter__person__user_id=user.pk)
    }
    for v in votes:
        v.my_ballot = mine.get(v.pk)
    return votes


def coverage(compounds) -> dict:
    """Coverage figures over a queryset of compounds: party organizations, owners' committees, party members
    on committees, candidate vetting, electronic-ballot share."""
    compound_ids = compounds.values("pk")
    total = compounds.count()
    with_branch = compounds.filter(
        Exists(PartyOrganization.objects.filter(compound_id=OuterRef("pk")))
    ).count()
    committees = Body.objects.filter(
        compound_id__in=compound_ids, kind__in=Body.OWNERS_COMMITTEE_KINDS
    )
    with_committee = compounds.filter(Exists(committees.filter(compound_id=OuterRef("pk")))).count()
    members = BodyMember.objects.filter(body__in=committees).aggregate(
        total=Count("pk"), party=Count("pk", filter=Q(is_party_member=True))
    )
    vetted = Candidate.objects.filter(compound_id__in=compound_ids).annotate(
        fails=Count("vettings", filter=Q(vettings__outcome=Vetting.Outcome.FAIL)),
        pending=Count("vettings", filter=Q(vettings__outcome=Vetting.Outcome.PENDING)),
        asked=Count("vettings"),
    ).filter(asked__gt=0)
    # A candidate is vetted once every department asked has answered; one fail turns them away.
    vetted_total = vetted.filter(pending=0).count()
    turned_away = vetted.filter(pending=0, fails__gt=0).count()
    # Owners' ballots: a council votes in the meeting room, so its ballots do not count towards the online share.
    ballots = Ballot.objects.filter(vote__compound_id__in=compound_ids, vote__is_council=False).aggregate(
        total=Count("pk"), electronic=Count("pk", filter=Q(channel=Ballot.Channel.ELECTRONIC))
    )
    buildings = Building.objects.filter(compound_id__in=compound_ids).aggregate(
        total=Count("pk", distinct=True), headed=Count("head", distinct=True),
        party=Count("head", filter=Q(head__is_party_member=True), distinct=True),
    )
    commissioned = compounds.filter(Exists(RoleAssignment.objects.filter(
        compound_id=OuterRef("pk"), role=Role.COMMISSIONER))).count()
    covered = PartyCoverage.objects.filter(body__in=committees).aggregate(
        total=Count("pk"), covered=Count("pk", filter=~Q(coverage=Coverage.NONE)),
    )
    communities = compounds.values("community_id")
    in_service = PartyMember.objects.filter(community_id__in=communities, kind=PartyMember.Kind.IN_SERVICE).aggregate(
        total=Count("pk"), reported=Count("pk", filter=Q(reported_on__isnull=False)),
    )
    crossed = cross_appointment_figures(compounds)
    return {
        **crossed,
        "compounds": total,
        "compounds_with_party_organization": with_branch,
        "party_organization_coverage": _share(with_branch, total),
        "compounds_with_owners_committee": with_committee,
        "owners_committee_coverage": _share(with_committee, total),
        "committee_members": members["total"],
        "committee_party_members": members["party"],
        "committee_party_member_share": _share(members["party"], members["total"]),
        "candidates_vetted": vetted_total,
        "candidates_turned_away": turned_away,
        "candidates_turned_away_share": _share(turned_away, vetted_total),
        "ballots": ballots["total"],
        "electronic_ballot_share": _share(ballots["electronic"], ballots["total"]),
        "committees_party_covered": covered["covered"],
        "committee_party_coverage": _share(covered["covered"], with_committee),
        "in_service_party_members": in_service["total"],
        "member_reporting_rate": _share(in_service["reported"], in_service["total"]),
        "buildings": buildings["total"],
        "building_head_coverage": _share(buildings["headed"], buildings["total"]),
        "building_heads_party_share": _share(buildings["party"], buildings["headed"]),
        "commissioner_coverage": _share(commissioned, total),
    }


# --- cross-appointments (交叉任职) -------------------------------------------------------------------------------

CROSS_KINDS = tuple(CrossAppointment.Kind.values)


def _cross_counts(**kwargs) -> dict:
    counts = {kind: Count("pk", filter=Q(kind=kind)) for kind in CROSS_KINDS}
    return {"total": Count("pk"), **counts, **kwargs}


def cross_appointment_figures(compounds) -> dict:
    """Cross-appointments over a queryset of compounds, in one query: those of their owners' committees, and
    those of the firm heads on the party organizations of their communities (which belong to no compound)."""
    rows = CrossAppointment.objects.filter(
        Q(compound_id__in=compounds.values("pk"))
        | Q(compound__isnull=True, community_id__in=compounds.values("community_id"))
    ).aggregate(**_cross_counts())
    return {"cross_appointments": rows["total"],
            **{f"cross_appointments_{kind}": rows[kind] for kind in CROSS_KINDS}}


CROSS_LEVELS = ("district", "street", "community", "compound")


def cross_appointments_per_node(appointments, level: str = "community") -> dict[int, dict]:
    """Cross-appointments counted per node of one level ({node id: {"total": n, <kind>: n …}}), by one grouped
    query over a queryset the caller has scoped. At compound level the firm heads' rows (no compound) are left
    out, since they belong to the community."""
    if level not in CROSS_LEVELS:
        raise ValueError(f"unknown level {level!r}")
    field = f"{level}_id"
    rows = appointments.filter(**{f"{field}__isnull": False}).values(field).annotate(**_cross_counts()).order_by()
    return {row[field]: {k: row[k] for k in ("total", *CROSS_KINDS)} for row in rows}


def party_organizations_for_portal(compound_ids) -> list[PartyOrganization]:
    """The party organizations of the given compounds and of their communities, each with `member_list` (names
    and posts; the people also cross-appointed marked `is_cross_appointed`). Three queries in all."""
    compound_ids = list(compound_ids)
    communities = Compound.objects.filter(pk__in=compound_ids).values("community_id")
    orgs = list(
        PartyOrganization.objects.filter(
            Q(compound_id__in=compound_ids) | Q(compound__isnull=True, community_id__in=communities))
        .select_related("compound").order_by("compound_id", "kind", "pk")
    )
    members = (PartyOrganizationMember.objects.filter(organization__in=orgs)
               .select_related("person").only("organization_id", "post", "is_part_time", "person__name")
               .order_by("organization_id", "post", "pk"))
    crossed = set(CrossAppointment.objects.filter(party_post__organization__in=orgs)
                  .values_list("party_post_id", flat=True))
    by_org: dict[int, list] = {o.pk: [] for o in orgs}
    for m in members:
        m.is_cross_appointed = m.pk in crossed
        by_org[m.organization_id].append(m)
    post_order = {post: i for i, post in enumerate(PartyOrganizationMember.Post.values)}
    for org in orgs:
        org.member_list = sorted(by_org[org.pk], key=lambda m: (post_order[m.post], m.pk))
    return orgs


# --- campaign targets: live progress per street and community ---------------------------------------------------
# Most of the campaign's measures read apps above governance (properties, petitions, ledger, rankings), which this
# layer may not import. So the measures are defined at the top floor (dashboards/targets.py) and registered here in
# its AppConfig.ready(); the progress below stays one function that every caller (the API route, the admin, the
# dashboards) asks, whatever app defines a measure.


@dataclass(frozen=True)
class MeasureAsked:
    """What a measure is asked: the district, the target's campaign start and deadline, and the measuring day."""

    district_id: int
    starts_on: datetime.date | None
    deadline: datetime.date
    today: datetime.date


@dataclass(frozen=True)
class CampaignMeasure:
    """A measure of campaign targets: `rows(asked)` gives {community id: (hit, total)} in one grouped query; the
    figure is hit / total (a reduction measure gives hit = the fall, total = the base; a counting measure gives
    hit = the things counted and total = 0). `street_rows(asked)`, where given, adds what belongs to a street
    itself and to none of its communities ({street id: (hit, total)}: its office, its joint meetings, its own
    people), counted only for streets the caller sees whole; a measure of streets alone has no `rows` and its
    progress lists no communities. `definition` is what the admin and the dashboards show."""

    code: str
    definition: object  # a lazy translation
    rows: Callable[[MeasureAsked], dict[int, tuple[int, int]]] | None
    street_rows: Callable[[MeasureAsked], dict[int, tuple[int, int]]] | None = None


MEASURES: dict[str, CampaignMeasure] = {}


def register_measures(measures) -> None:
    """Makes the measures known to targets_progress (called once from an AppConfig.ready)."""
    for measure in measures:
        if measure.code not in CampaignTarget.Measure.values:
            raise ValueError(f"{measure.code!r} is not a CampaignTarget.Measure")
        MEASURES[measure.code] = measure


def measure_definitions() -> dict[str, object]:
    """{measure code: its definition} in the order of the choices."""
    return {code: MEASURES[code].definition for code in CampaignTarget.Measure.values if code in MEASURES}


def _figure(hit: int, total: int, target, counts: bool = False, overall: bool = False) -> dict:
    if counts:
        # A count is reached overall when it comes to the number; a street's or community's share of it has no
        # number of its own to reach.
        reached = None if target is None or not overall else hit >= Fraction(target)
        return {"hit": hit, "total": None, "value": str(hit), "reached": reached}
    value = _share(hit, total)
    reached = None if value is None or target is None else Fraction(hit, total) >= Fraction(target)
    return {"hit": hit, "total": total, "value": value, "reached": reached}


def _whole_streets(nodes) -> set[int]:
    """The streets all of whose communities are among `nodes`: only those callers see a street's own rows."""
    seen: dict[int, int] = {}
    for community in nodes:
        seen[community.street_id] = seen.get(community.street_id, 0) + 1
    counts = Community.objects.filter(street_id__in=list(seen)).values("street_id").annotate(n=Count("pk")).order_by()
    return {row["street_id"] for row in counts if seen[row["street_id"]] == row["n"]}


def targets_progress(targets, communities, *, today: datetime.date | None = None) -> list[dict]:
    """Live progress of each target over the given communities (a queryset the caller has scoped), overall, per
    street and per community, on `today` (default: the local date). Costs one query for the communities, one
    grouped query per distinct measure asked (two for a measure with street rows, and one for the streets seen
    whole), whatever the number of streets and communities."""
    today = today or timezone.localdate()
    nodes = list(communities.select_related("street").order_by("street_id", "pk"))
    cache: dict[tuple, tuple] = {}
    whole: set[int] | None = None
    out = []
    for target in targets:
        counts = target.counts
        entry = {"id": target.pk, "number": target.number, "task": target.task, "measure": target.measure or None,
                 "kind": target.kind,
                 "target_value": None if target.target_value is None else str(target.target_value),
                 "lead_units": target.lead_units, "responsible_units": target.responsible_units,
                 "deadline": target.deadline.isoformat(), "overall": None, "streets": []}
        out.append(entry)
        if not target.measure:
            continue
        measure = MEASURES[target.measure]
        asked = MeasureAsked(target.district_id, target.starts_on, target.deadline, today)
        key = (target.measure, asked)
        if key not in cache:
            cache[key] = (measure.rows(asked) if measure.rows else {},
                          measure.street_rows(asked) if measure.street_rows else {})
        rows, street_rows = cache[key]
        if street_rows and whole is None:
            whole = _whole_streets(nodes)
        streets: dict[int, dict] = {}
        all_hit = all_total = 0
        for community in nodes:
            if community.district_id != target.district_id:
                continue
            hit, total = rows.get(community.pk, (0, 0))
            street = streets.get(community.street_id)
            if street is None:
                own = street_rows.get(community.street_id, (0, 0)) if community.street_id in (whole or ()) else (0, 0)
                street = streets[community.street_id] = {
                    "id": community.street_id, "name": community.street.name, "hit": own[0], "total": own[1],
                    "communities": []}
                all_hit, all_total = all_hit + own[0], all_total + own[1]
            street["hit"] += hit
            street["total"] += total
            if measure.rows is not None:
                street["communities"].append({"id": community.pk, "name": community.name,
                                              **_figure(hit, total, target.target_value, counts)})
            all_hit, all_total = all_hit + hit, all_total + total
        for street in streets.values():
            street.update(_figure(street["hit"], street["total"], target.target_value, counts))
        entry["overall"] = _figure(all_hit, all_total, target.target_value, counts, overall=True)
        entry["streets"] = list(streets.values())
    return out


# --- electorates, counts, electability (reads the services build on) ---------------------------------------------

def candidate_is_electable(candidate: Candidate) -> bool:
    """True when the candidate was vetted and every department asked passed them."""
    outcomes = set(candidate.vettings.values_list("outcome", flat=True))
    return outcomes == {Vetting.Outcome.PASS}


def dwelling_holders(**households) -> dict[int, tuple[int, Decimal]]:
    """Who casts each dwelling's vote, with its area: {household id: (person id, floor area)} for the dwellings
    chosen by the residency filter given (e.g. household__compound_id=…, household_id__in=…). Co-owners of one
    dwelling count as one owner (the judicial interpretation of art. 278): the dwelling is voted by its first
    recorded owner. One query."""
    rows = (
        Residency.objects.filter(relation=Residency.Relation.OWNER, **households)
        .order_by("household_id", "pk").values_list("household_id", "person_id", "household__floor_area")
    )
    holders: dict[int, tuple[int, Decimal]] = {}
    for household_id, person_id, floor_area in rows:
        holders.setdefault(household_id, (person_id, floor_area))
    return holders


def electorate(compound_id: int) -> list[Voter]:
    """The compound's eligible voters, unsaved: every owner once by head with the sum of the areas of the
    dwellings whose vote they hold (`dwelling_holders`)."""
    holders = dwelling_holders(household__compound_id=compound_id)
    area = {household_id: floor_area for household_id, (_person, floor_area) in holders.items()}
    by_person: dict[int, list[int]] = defaultdict(list)
    for household_id, (person_id, _area) in holders.items():
        by_person[person_id].append(household_id)
    return [
        Voter(person_id=person_id, area=sum((area[h] for h in households), Decimal("0")), households=households)
        for person_id, households in sorted(by_person.items())
    ]


def council_electorate(meeting_id: int) -> list[Voter]:
    """A council's eligible voters, unsaved: its members, each once by head (a council does not vote by area)."""
    person_ids = CouncilMember.objects.filter(meeting_id=meeting_id).order_by("person_id").values_list(
        "person_id", flat=True)
    return [Voter(person_id=pk, area=Decimal("0"), households=[]) for pk in person_ids]


def vote_counts(vote: Vote) -> tally.Counts:
    """The counts of a vote computed from its electorate and ballots (two aggregate queries)."""
    electorate_row = Voter.objects.filter(vote=vote).aggregate(heads=Count("pk"), area=Sum("area"))
    by_choice = {
        row["choice"]: row for row in
        Ballot.objects.filter(vote=vote).values("choice").annotate(heads=Count("pk"), area=Sum("voter__area"))
    }

    def part(choice):
        row = by_choice.get(choice) or {"heads": 0, "area": 0}
        return row["heads"], tally.exact(Decimal(row["area"] or 0))

    ah, aa = part("approve")
    oh, oa = part("oppose")
    bh, ba = part("abstain")
    return tally.Counts(
        eligible_heads=electorate_row["heads"], eligible_area=tally.exact(Decimal(electorate_row["area"] or 0)),
        approve_heads=ah, approve_area=aa, oppose_heads=oh, oppose_area=oa, abstain_heads=bh, abstain_area=ba,
    )


def firm_coverage(district_id: int) -> dict[int, str]:
    """The party coverage form of each covered firm of the district (firms missing have none)."""
    return dict(PartyCoverage.objects.filter(district_id=district_id, firm__isnull=False).values_list(
        "firm_id", "coverage"))


def vote_passed(vote_id: int, *, compound_id: int) -> bool:
    """Whether the owners' vote of the compound is closed and passed (an exit decision rests on it)."""
    return Vote.objects.filter(pk=vote_id, compound_id=compound_id, status=Vote.Status.CLOSED,
                               result=Vote.Result.PASSED, is_council=False).exists()
