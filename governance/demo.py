"""Demo party organizations and owners' committees, with figures like the case reports'."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from communities import names
from communities.demo import first_compound
from communities.models import Building, Community, Compound, Department, ManagementMode, Person
from governance.demo_lists import seed_catalogues, seed_council
from governance.demo_members import seed_members
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BodyMember,
    BuildingHead,
    Candidate,
    Coverage,
    Evaluation,
    Meeting,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    Rule,
    SupervisoryRecord,
    Vetting,
    Vote,
    Voter,
)
from governance.selectors import electorate
from governance.services import vote_close
from properties.models import Firm


def quota(k: int, share: float) -> bool:
    """True for the k-th of a series so that exactly `share` of any prefix is chosen (no sampling noise)."""
    return int((k + 1) * share) > int(k * share)


VETTING_KINDS = (Department.Kind.POLICE, Department.Kind.COURT, Department.Kind.URBAN_MANAGEMENT)


def formed_on(rng, year: int) -> datetime.date:
    """A demo committee's forming day, the first of a month seven to two years before `year` (the year the demo
    is seeded in: 2019 to 2024 when seeded in 2026), so that its five-year term has ended, ends soon or runs on
    whenever the demo is seeded, and the campaign's committees formed since its start (three years back,
    governance.demo_lists) are there; fixed years left a demo seeded in 2028 with none."""
    return datetime.date(year - 7 + rng.randrange(6), rng.randrange(1, 13), 1)


def seed(ctx) -> None:
    rng = ctx.rng
    year = ctx.today.year
    for district in ctx.districts:
        communities = list(Community.objects.filter(district=district).order_by("pk"))
        compounds = list(Compound.objects.filter(district=district).order_by("pk"))
        secretaries = Person.objects.bulk_create([
            Person(district=district, community=c, name=names.person_name(rng), phone=names.mobile(rng))
            for c in communities
        ])
        orgs = [
            PartyOrganization(district=district, community=c, kind=PartyOrganization.Kind.COMMUNITY_COMMITTEE,
                              name=f"{c.name}党委", contact_phone=c.office_phone)
            for c in communities
        ]
        branch_compounds = [c for i, c in enumerate(compounds) if i % 10 < 7 or i < len(communities)]
        branch_secretaries = Person.objects.bulk_create([
            Person(district=district, community_id=c.community_id, name=names.person_name(rng), phone=names.mobile(rng))
            for c in branch_compounds
        ])
        orgs += [
            PartyOrganization(district=district, community_id=c.community_id, compound=c,
                              kind=PartyOrganization.Kind.COMPOUND_BRANCH, name=f"{c.name}党支部")
            for c in branch_compounds
        ]
        PartyOrganization.objects.bulk_create(orgs, batch_size=5000)
        orgs_with_secretaries = list(zip(orgs, [*secretaries, *branch_secretaries], strict=True))

        # Owners' committees in about 85% of the compounds that have owners organised (not unmanaged ones).
        bodies, members_people, offices = [], [], []
        for i, compound in enumerate(compounds):
            if compound.management_mode == ManagementMode.UNMANAGED or (i % 7 == 6 and i >= len(communities)):
                continue
            formed = formed_on(rng, year)
            kind = Body.Kind.OWNERS_COMMITTEE if compound.management_mode != ManagementMode.GOVERNMENT_FALLBACK \
                else Body.Kind.INTERIM_COMMITTEE
            bodies.append(Body(district=district, compound=compound, kind=kind, formed_on=formed,
                               term_ends_on=formed.replace(year=formed.year + 5),
                               contact_phone=f"0574-8{rng.randrange(1000000, 9999999)}"))
        bodies = Body.objects.bulk_create(bodies, batch_size=5000)
        for body in bodies:
            for seat in range(rng.randrange(5, 8)):
                members_people.append(Person(district=district, community_id=body.compound.community_id,
                                             name=names.person_name(rng),
                                             phone=names.mobile(rng)))
                office = BodyMember.Office.CHAIR if seat == 0 else (
                    BodyMember.Office.VICE_CHAIR if seat == 1 else BodyMember.Office.MEMBER)
                # About 64% party members, as in Zhenhai (725 of 1,135).
                offices.append((body, office, quota(len(offices), 0.64)))
        members_people = Person.objects.bulk_create(members_people, batch_size=5000)
        body_members = BodyMember.objects.bulk_create([
            BodyMember(body=body, person=person, office=office, is_party_member=party)
            for person, (body, office, party) in zip(members_people, offices, strict=True)
        ], batch_size=5000)
        ctx.say(f"  {district.name}: {len(orgs)} party organizations, {len(bodies)} owners' committees")
        seed_members(ctx, district, orgs_with_secretaries, body_members)
        _seed_coverage(ctx, district, bodies, orgs)
        _seed_candidates(ctx, district, bodies)
        _seed_meetings(ctx, district, bodies)
        if ctx.scale == "small":
            _seed_closed_votes(ctx, district)
        seed_catalogues(ctx, district)
        seed_council(ctx, district)


def _seed_coverage(ctx, district, bodies, orgs) -> None:
    """Party coverage of committees and firms (Zhenhai: every committee a branch; of 46 firms 9 standalone,
    21 joint, 16 instructor), party members reporting to their community, building heads, evaluations."""
    rng = ctx.rng
    branch_of = {o.compound_id: o for o in orgs if o.compound_id}
    rows = []
    for body in bodies:
        org = branch_of.get(body.compound_id)
        kind = Coverage.STANDALONE if org and rng.random() < 0.7 else (
            Coverage.JOINT if rng.random() < 0.8 else Coverage.INSTRUCTOR)
        rows.append(PartyCoverage(district=district, body=body, coverage=kind, organization=org,
                                  instructor_name=names.person_name(rng) if kind == Coverage.INSTRUCTOR else ""))
    for firm in Firm.objects.filter(district=district).order_by("pk"):
        kind = rng.choices([Coverage.STANDALONE, Coverage.JOINT, Coverage.INSTRUCTOR], weights=[9, 21, 16])[0]
        rows.append(PartyCoverage(district=district, firm=firm, coverage=kind,
                                  instructor_name=names.person_name(rng) if kind == Coverage.INSTRUCTOR else ""))
    PartyCoverage.objects.bulk_create(rows, batch_size=5000)

    communities = list(Community.objects.filter(district=district).order_by("pk"))
    plan = [(c, rng.choices(list(PartyMember.Kind.values), weights=[50, 40, 10])[0])
            for c in communities for _n in range(rng.randrange(20, 40))]
    people = Person.objects.bulk_create([
        Person(district=district, community=c, name=names.person_name(rng), phone=names.mobile(rng))
        for c, _kind in plan
    ], batch_size=5000)
    today = ctx.today
    PartyMember.objects.bulk_create([
        PartyMember(district=district, community=c, person=p, kind=kind, is_central_household=rng.random() < 0.1,
                    # target 95%: about nine in ten in-service members have reported
                    reported_on=today - datetime.timedelta(days=rng.randrange(30, 900))
                    if kind == PartyMember.Kind.IN_SERVICE and rng.random() < 0.9 else None)
        for p, (c, kind) in zip(people, plan, strict=True)
    ], batch_size=5000)

    buildings = [b for b in Building.objects.filter(district=district).order_by("pk") if rng.random() < 0.85]
    heads = Person.objects.bulk_create([
        Person(district=district, community_id=b.community_id, name=names.person_name(rng), phone=names.mobile(rng))
        for b in buildings
    ], batch_size=5000)
    BuildingHead.objects.bulk_create([
        BuildingHead(district=district, compound_id=b.compound_id, building=b, person=p,
                     is_party_member=rng.random() < 0.6)
        for b, p in zip(buildings, heads, strict=True)
    ], batch_size=5000)

    year = today.year - 1
    Evaluation.objects.bulk_create([
        Evaluation(district=district, body=body, year=year,
                   rating=rng.choices(list(Evaluation.Rating.values), weights=[70, 25, 5])[0],
                   reasons="年度履职情况评议")
        for body in bodies
    ], batch_size=5000)


def _seed_candidates(ctx, district, bodies) -> None:
    """A candidate pool per committee, vetted by police, court and urban management: about 29% turned away
    (Zhenhai vetted 1,426 and turned away 418)."""
    rng = ctx.rng
    departments = list(Department.objects.filter(district=district, kind__in=VETTING_KINDS).order_by("pk"))
    plan = [(body, False) for body in bodies for _seat in range(rng.randrange(5, 10))]
    plan = [(body, quota(k, 0.64)) for k, (body, _p) in enumerate(plan)]
    people = Person.objects.bulk_create([
        Person(district=district, community_id=body.compound.community_id, name=names.person_name(rng),
               phone=names.mobile(rng))
        for body, _party in plan
    ], batch_size=5000)
    candidates = Candidate.objects.bulk_create([
        Candidate(district=district, community_id=body.compound.community_id, compound_id=body.compound_id,
                  person=person, is_party_member=party)
        for person, (body, party) in zip(people, plan, strict=True)
    ], batch_size=5000)
    reasons = ["有违法犯罪记录", "涉及未履行生效判决", "存在违章搭建未整改", "拖欠物业费"]
    now = timezone.now()
    vettings = []
    answered = 0
    for k, candidate in enumerate(candidates):
        pending = quota(k, 0.08)  # some still waiting for an answer
        failing = None
        if not pending:
            # About 29% of the vetted turned away, as in Zhenhai (418 of 1,426).
            failing = rng.randrange(len(departments)) if quota(answered, 0.29) else None
            answered += 1
        for i, department in enumerate(departments):
            if pending and i == len(departments) - 1:
                vettings.append(Vetting(candidate=candidate, department=department))
            elif i == failing:
                vettings.append(Vetting(candidate=candidate, department=department, outcome=Vetting.Outcome.FAIL,
                                        reason=rng.choice(reasons), answered_at=now))
            else:
                vettings.append(Vetting(candidate=candidate, department=department, outcome=Vetting.Outcome.PASS,
                                        answered_at=now))
    Vetting.objects.bulk_create(vettings, batch_size=5000)
    ctx.say(f"  {district.name}: {len(candidates)} candidates, {len(vettings)} vetting answers")


MEETING_PLAN = [
    (Meeting.Kind.MONTHLY_CONSULTATION, "月度议事会", ["小区停车位调整方案", "电梯年检费用分摊"]),
    (Meeting.Kind.QUARTERLY_COUNCIL, "季度联席会议", ["物业服务合同续签", "公共收益使用计划"]),
    (Meeting.Kind.DECISION_HEARING, "决策听证会", ["加装电梯意见征集"]),
]


def _seed_meetings(ctx, district, bodies) -> None:
    """Meetings with decided items for every compound with a committee, each decision in the record."""
    rng = ctx.rng
    now = timezone.now()
    meetings, items_plan = [], []
    for body in bodies:
        for kind, title, items in MEETING_PLAN[: rng.randrange(1, len(MEETING_PLAN) + 1)]:
            held = now - datetime.timedelta(days=rng.randrange(10, 300))
            meetings.append(Meeting(district=district, community_id=body.compound.community_id,
                                    compound_id=body.compound_id, kind=kind, title=f"{body.compound.name}{title}",
                                    held_at=held, attendees="党支部、业委会、监事会、物业项目经理、居民代表",
                                    minutes="会议按程序进行，形成决议如下。"))
            items_plan.append(items)
    meetings = Meeting.objects.bulk_create(meetings, batch_size=5000)
    items = []
    for meeting, titles in zip(meetings, items_plan, strict=True):
        for title in titles:
            items.append(AgendaItem(district=district, compound_id=meeting.compound_id, meeting=meeting, title=title,
                                    is_major=title.startswith(("物业服务合同", "公共收益")),
                                    pre_reviewed_at=meeting.held_at, pre_review_note="党组织先议，同意提交会议",
                                    decision="经与会各方协商一致通过。"))
    items = AgendaItem.objects.bulk_create(items, batch_size=5000)
    kind_of = {m.pk: m.kind for m in meetings}
    held_of = {m.pk: m.held_at for m in meetings}
    SupervisoryRecord.objects.bulk_create([
        SupervisoryRecord(district=district, compound_id=item.compound_id, item=item, matter=item.title,
                          meeting_kind=kind_of[item.meeting_id], decision=item.decision,
                          recorded_at=held_of[item.meeting_id], published_at=held_of[item.meeting_id])
        for item in items
    ], batch_size=5000)
    ctx.say(f"  {district.name}: {len(meetings)} meetings, {len(items)} decided items on the record")


def _cast_demo_ballots(ctx, vote, voters, turnout, skip_person_ids=(), when=None) -> None:
    rng = ctx.rng
    ballots = []
    for voter in voters:
        if voter.person_id in skip_person_ids or rng.random() >= turnout:
            continue
        roll = rng.random()
        channel = Ballot.Channel.ELECTRONIC if roll < 0.6 else (
            Ballot.Channel.PAPER if roll < 0.93 else Ballot.Channel.PROXY)
        choice = rng.choices(list(Ballot.Choice.values), weights=[75, 15, 10])[0]
        ballots.append(Ballot(
            vote=vote, voter=voter, choice=choice, channel=channel, cast_at=when or vote.opened_at,
            proxy_name=names.person_name(rng) if channel == Ballot.Channel.PROXY else "",
            proxy_authorization="业主书面委托书（纸质存档）" if channel == Ballot.Channel.PROXY else "",
        ))
    Ballot.objects.bulk_create(ballots, batch_size=5000)


def _open_demo_vote(ctx, compound, title, rule, opened, deadline) -> tuple[Vote, list[Voter]]:
    meeting = Meeting.objects.create(
        compound=compound, kind=Meeting.Kind.OWNERS_ASSEMBLY, title=f"{compound.name}业主大会", held_at=opened,
        attendees="全体业主",
    )
    item = AgendaItem.objects.create(meeting=meeting, title=title, is_major=True, pre_reviewed_at=opened,
                                     pre_review_note="党组织先议先审，同意提交业主表决")
    vote = Vote.objects.create(item=item, rule=rule, opened_at=opened, deadline=deadline)
    voters = electorate(compound.pk)
    for voter in voters:
        voter.vote = vote
    return vote, Voter.objects.bulk_create(voters)


def _seed_closed_votes(ctx, district) -> None:
    """A closed owners' vote in the first compound of every community (small scale: owners are recorded)."""
    now = timezone.now()
    for community in Community.objects.filter(district=district).order_by("pk"):
        compound = Compound.objects.filter(community=community).order_by("pk").first()
        opened = now - datetime.timedelta(days=ctx.rng.randrange(40, 200))
        vote, voters = _open_demo_vote(ctx, compound, "使用住宅专项维修资金更换屋面防水", Rule.CIVIL_CODE_SPECIAL,
                                       opened, opened + datetime.timedelta(days=14))
        if voters:
            _cast_demo_ballots(ctx, vote, voters, turnout=0.85)
        vote_close(actor=None, vote=vote, now=vote.deadline)


def seed_open_vote(ctx) -> None:
    """An open vote in the demo resident's compound, on which the resident has not voted yet."""
    resident = get_user_model().objects.get(username="resident")
    compound = first_compound(ctx.main, 0)
    now = timezone.now()
    vote, voters = _open_demo_vote(ctx, compound, "增设电动自行车充电棚", Rule.CIVIL_CODE_ORDINARY,
                                   now - datetime.timedelta(days=3), now + datetime.timedelta(days=14))
    _cast_demo_ballots(ctx, vote, voters, turnout=0.55, skip_person_ids={resident.person.pk},
                       when=now - datetime.timedelta(days=1))
    area = sum((v.area for v in voters), Decimal("0"))
    ctx.say(f"  open vote in {compound.name}: {len(voters)} owners, {area} m²")


def seed_term_reminders(ctx) -> None:
    """Runs the daily term reminders once, as beat would (its first run comes hours after it starts): the demo's
    lapsed and ending terms are on the community offices' lists from the start."""
    from governance.services import bodies_remind_terms

    ctx.say(f"  term reminders: {bodies_remind_terms()}")
