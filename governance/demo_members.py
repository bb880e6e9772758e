"""Demo members of the party organizations with their posts, and cross-appointments (交叉任职): community
committee members elected vice-chairs of owners' committees, party-member chairs and firm heads serving
part-time on the community party committee. Everything in bulk."""

from collections import defaultdict

from communities import names
from communities.models import Person
from governance.models import (
    Body,
    BodyMember,
    CrossAppointment,
    PartyOrganization,
    PartyOrganizationMember,
)
from properties.models import Contract, Firm

Post = PartyOrganizationMember.Post
Kind = CrossAppointment.Kind
# Cross-appointments per community at most, of each kind: a community committee has a handful of seats.
PER_COMMUNITY = {Kind.COMMUNITY_TO_COMMITTEE: 3, Kind.CHAIR_TO_PARTY: 2, Kind.FIRM_HEAD_TO_PARTY: 2}


def seed_members(ctx, district, orgs_with_secretaries, body_members) -> None:
    """Posts in every organization (its secretary first), then the cross-appointments of each community."""
    rng = ctx.rng
    plan = []  # (organization, person or None for a new one, post, part-time)
    for org, secretary in orgs_with_secretaries:
        plan.append((org, secretary, Post.SECRETARY, False))
        community_level = org.compound_id is None
        if community_level or rng.random() < 0.5:
            plan.append((org, None, Post.DEPUTY_SECRETARY, False))
        for _n in range(3 if community_level else rng.randrange(1, 3)):
            plan.append((org, None, Post.COMMITTEE_MEMBER, False))
        for _n in range(rng.randrange(2, 5)):
            plan.append((org, None, Post.MEMBER, False))

    committee_of = {o.community_id: o for o, _s in orgs_with_secretaries
                    if o.kind == PartyOrganization.Kind.COMMUNITY_COMMITTEE}
    by_community: dict[int, list[BodyMember]] = defaultdict(list)
    for m in body_members:
        if m.body.kind == Body.Kind.OWNERS_COMMITTEE:
            by_community[m.body.compound.community_id].append(m)
    crossings = []  # (kind, plan index of the party post, body member or None, firm or None)
    for community_id, seats in by_community.items():
        org = committee_of.get(community_id)
        if org is None:
            continue
        vice_chairs = [m for m in seats if m.office == BodyMember.Office.VICE_CHAIR]
        # The community's first committee always has one, so the demo resident's compound shows it.
        chosen = vice_chairs[:1] + [m for m in vice_chairs[1:] if rng.random() < 0.3]
        for m in chosen[: PER_COMMUNITY[Kind.COMMUNITY_TO_COMMITTEE]]:
            plan.append((org, m.person, Post.COMMITTEE_MEMBER, False))
            crossings.append((Kind.COMMUNITY_TO_COMMITTEE, len(plan) - 1, m, None))
        chairs = [m for m in seats if m.office == BodyMember.Office.CHAIR and m.is_party_member]
        for m in chairs[: PER_COMMUNITY[Kind.CHAIR_TO_PARTY]]:
            plan.append((org, m.person, Post.COMMITTEE_MEMBER, True))
            crossings.append((Kind.CHAIR_TO_PARTY, len(plan) - 1, m, None))

    firms = {f.pk: f for f in Firm.objects.filter(district=district)}
    served = sorted(set(Contract.objects.filter(compound__district=district, status=Contract.Status.ACTIVE)
                        .values_list("compound__community_id", "firm_id")))
    firm_count: dict[int, int] = defaultdict(int)
    for community_id, firm_id in served:
        org = committee_of.get(community_id)
        if org is None or firm_count[community_id] >= PER_COMMUNITY[Kind.FIRM_HEAD_TO_PARTY]:
            continue
        firm_count[community_id] += 1
        plan.append((org, None, Post.COMMITTEE_MEMBER, True))
        crossings.append((Kind.FIRM_HEAD_TO_PARTY, len(plan) - 1, None, firms[firm_id]))

    new_people = Person.objects.bulk_create([
        Person(district=district, community_id=org.community_id, name=names.person_name(rng),
               phone=names.mobile(rng))
        for org, person, _post, _pt in plan if person is None
    ], batch_size=5000)
    fresh = iter(new_people)
    members = PartyOrganizationMember.objects.bulk_create([
        PartyOrganizationMember(district=district, community_id=org.community_id, compound_id=org.compound_id,
                                organization=org, person=person or next(fresh), post=post, is_part_time=part_time)
        for org, person, post, part_time in plan
    ], batch_size=5000)
    street_of = {o.community_id: o.community.street_id for o in committee_of.values()}
    CrossAppointment.objects.bulk_create([
        CrossAppointment(
            district=district, street_id=street_of[members[i].community_id], community_id=members[i].community_id,
            compound_id=seat.body.compound_id if seat else None, kind=kind, person_id=members[i].person_id,
            body_member=seat, party_post=members[i], firm=firm,
            started_on=seat.body.formed_on if seat else None,
        )
        for kind, i, seat, firm in crossings
    ], batch_size=5000)
    ctx.say(f"  {district.name}: {len(members)} party-organization members, {len(crossings)} cross-appointments")
