"""Demo party organizations and owners' committees, with figures like the case reports'."""

import datetime

from communities import names
from communities.models import Community, Compound, ManagementMode, Person
from governance.models import Body, BodyMember, PartyOrganization


def seed(ctx) -> None:
    rng = ctx.rng
    for district in ctx.districts:
        communities = list(Community.objects.filter(district=district).order_by("pk"))
        compounds = list(Compound.objects.filter(district=district).order_by("pk"))
        secretaries = Person.objects.bulk_create([
            Person(district=district, community=c, name=names.person_name(rng), phone=names.mobile(rng))
            for c in communities
        ])
        orgs = [
            PartyOrganization(district=district, community=c, kind=PartyOrganization.Kind.COMMUNITY_COMMITTEE,
                              name=f"{c.name}党委", secretary=s, contact_phone=c.office_phone)
            for c, s in zip(communities, secretaries, strict=True)
        ]
        branch_compounds = [c for i, c in enumerate(compounds) if i % 10 < 7 or i < len(communities)]
        branch_secretaries = Person.objects.bulk_create([
            Person(district=district, community_id=c.community_id, name=names.person_name(rng), phone=names.mobile(rng))
            for c in branch_compounds
        ])
        orgs += [
            PartyOrganization(district=district, community_id=c.community_id, compound=c,
                              kind=PartyOrganization.Kind.COMPOUND_BRANCH, name=f"{c.name}党支部", secretary=s)
            for c, s in zip(branch_compounds, branch_secretaries, strict=True)
        ]
        PartyOrganization.objects.bulk_create(orgs, batch_size=5000)

        # Owners' committees in about 85% of the compounds that have owners organised (not unmanaged ones).
        bodies, members_people, offices = [], [], []
        for i, compound in enumerate(compounds):
            if compound.management_mode == ManagementMode.UNMANAGED or (i % 7 == 6 and i >= len(communities)):
                continue
            formed = datetime.date(rng.randrange(2019, 2025), rng.randrange(1, 13), 1)
            kind = Body.Kind.OWNERS_COMMITTEE if compound.management_mode != ManagementMode.GOVERNMENT_FALLBACK \
                else Body.Kind.INTERIM_COMMITTEE
            bodies.append(Body(district=district, compound=compound, kind=kind, formed_on=formed,
                               term_ends_on=formed.replace(year=formed.year + 5),
                               contact_phone=f"0574-8{rng.randrange(1000000, 9999999)}"))
        bodies = Body.objects.bulk_create(bodies, batch_size=5000)
        for body in bodies:
            for seat in range(rng.randrange(5, 8)):
                members_people.append(Person(district=district, community_id=None, name=names.person_name(rng),
                                             phone=names.mobile(rng)))
                office = BodyMember.Office.CHAIR if seat == 0 else (
                    BodyMember.Office.VICE_CHAIR if seat == 1 else BodyMember.Office.MEMBER)
                # About 64% party members, as in Zhenhai (725 of 1,135).
                offices.append((body, office, rng.random() < 0.64))
        members_people = Person.objects.bulk_create(members_people, batch_size=5000)
        BodyMember.objects.bulk_create([
            BodyMember(body=body, person=person, office=office, is_party_member=party)
            for person, (body, office, party) in zip(members_people, offices, strict=True)
        ], batch_size=5000)
        ctx.say(f"  {district.name}: {len(orgs)} party organizations, {len(bodies)} owners' committees")
