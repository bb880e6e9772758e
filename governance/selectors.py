"""Reads of the governance side: live turnout, households still to visit, coverage figures."""

from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q

from communities.models import Building, Household, Role, RoleAssignment
from governance import tally
from governance.models import (
    Ballot,
    Body,
    BodyMember,
    Candidate,
    Coverage,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    Vetting,
    Vote,
    Voter,
)
from governance.services import vote_counts


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
        compound_id__in=compound_ids, kind__in=[Body.Kind.OWNERS_COMMITTEE, Body.Kind.INTERIM_COMMITTEE]
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
    ballots = Ballot.objects.filter(vote__compound_id__in=compound_ids).aggregate(
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
    return {
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
