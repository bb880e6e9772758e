"""Demo ledgers: every household's maintenance fund over a few years (first deposit by floor area, a top-up,
yearly interest), the past months closed, and in the demo compound two fund-use applications — one approved,
accepted and paid, one waiting at the street.

On PostgreSQL every compound of a district is seeded at once, a few INSERT … SELECT statements per event
(ledger.demo_sql), which keeps the ledger's part of the district-scale seed within 90 s; the database's triggers
check those rows like any other. On SQLite (the embedded demo) postings go through `ledger.posting.post` one
compound-wide transaction at a time (one leg per household)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Compound, Household
from governance.models import Vote
from ledger import demo_sql, services
from ledger.fees import collection_rate_of
from ledger.models import (
    AccountKind,
    FeeBill,
    FeePayment,
    FeeRelief,
    FundApplication,
    Period,
    TransactionKind,
)
from ledger.money import apportion, times
from ledger.posting import compound_account, household_accounts, lock_accounts, open_period, post
from properties.selectors import active_contract

FIRST_DEPOSIT_ON = datetime.date(2023, 3, 20)
FIRST_RATE = Decimal("50.00")  # yuan per m² of floor area
TOP_UP_ON = datetime.date(2025, 3, 20)
TOP_UP_RATE = Decimal("8.00")
INTEREST_ON = (datetime.date(2023, 12, 21), datetime.date(2024, 12, 21), datetime.date(2025, 12, 21))
INTEREST_RATE = Decimal("0.0135")  # a year, on the balance


def fee_months(today: datetime.date | None = None) -> list[tuple[int, int]]:
    """The demo's fee months, (year, month): the twelve whole months before today's month, so that the
    dashboards' default period (this year) and the portal show this year's bills, payments and statements."""
    today = today or timezone.localdate()
    last = today.year * 12 + today.month - 2  # the month before today's, counted from year 0
    return [(i // 12, i % 12 + 1) for i in range(last - 11, last + 1)]


def closed_until(today: datetime.date | None = None) -> datetime.date:
    """The books are closed up to the month before today's: that month and today's stay open, as the centre
    closes a month some weeks after its end (and the demo's disbursement, a fortnight ago, falls in them)."""
    year, month = fee_months(today)[-1]
    return datetime.date(year, month, 1)


def seed(ctx) -> None:
    if connection.vendor == "postgresql":
        _seed_set_based(ctx, ctx.districts)
    for district in ctx.districts:
        compounds = list(Compound.objects.filter(district=district).order_by("pk"))
        if connection.vendor != "postgresql":
            # The embedded SQLite demo: posting by posting, the same figures (ledger.demo_sql is PostgreSQL's).
            for compound in compounds:
                seed_fund(compound)
                seed_fees(compound)
            seed_common(ctx, compounds)
            for compound in compounds:
                _close_months(compound, until=closed_until())
        rate = collection_rate_of([c.pk for c in compounds])
        ctx.say(f"  {district.name}: maintenance funds of {len(compounds)} compounds, fee collection rate {rate}")
    seed_applications(ctx)


@transaction.atomic
def _seed_set_based(ctx, districts) -> None:
    """Every compound of the districts at once, a few INSERT … SELECT per event (ledger.demo_sql); the demo
    compound's twelve statements go through the services, as its committee member would publish them."""
    from communities.demo import first_compound

    member = get_user_model().objects.filter(username="committee_member").first()
    demo = first_compound(ctx.main, 0) if member is not None and ctx.main in districts else None
    year, month = fee_months()[0]
    demo_sql.seed_districts(
        districts, first_deposit_on=FIRST_DEPOSIT_ON, first_rate=FIRST_RATE, top_up_on=TOP_UP_ON,
        top_up_rate=TOP_UP_RATE, interest_on=INTEREST_ON, interest_rate=INTEREST_RATE,
        first_month=datetime.date(year, month, 1), relief_reason=RELIEF_REASON, granter=_granter(),
        common_monthly=COMMON_MONTHLY, skip_common_of=demo)
    if demo is not None:
        _publish_months(demo, member, fee_months())
    for district in districts:
        demo_sql.close_months(district, until=closed_until())


@transaction.atomic
def seed_fund(compound) -> None:
    households = list(Household.objects.filter(compound=compound).order_by("pk"))
    if not households:
        return
    accounts = household_accounts(households, AccountKind.HOUSEHOLD_FUND)
    bank = compound_account(compound, AccountKind.FUND_BANK)
    by_area = {h.pk: h.floor_area for h in households}
    _deposit_all(compound, bank, accounts, by_area, FIRST_RATE, FIRST_DEPOSIT_ON, TransactionKind.DEPOSIT,
                 "首期维修资金交存")
    _interest(compound, bank, INTEREST_ON[0])
    _interest(compound, bank, INTEREST_ON[1])
    # Two in three households have made the top-up the owners' assembly asked for.
    topped = {pk: area for i, (pk, area) in enumerate(by_area.items()) if i % 3}
    if topped:
        _deposit_all(compound, bank, accounts, topped, TOP_UP_RATE, TOP_UP_ON, TransactionKind.TOP_UP,
                     "维修资金续筹")
    _interest(compound, bank, INTEREST_ON[2])


def _deposit_all(compound, bank, accounts, areas, rate, day, kind, memo) -> None:
    amounts = {pk: times(area, rate) for pk, area in areas.items()}
    legs = [(accounts[pk], -amount) for pk, amount in amounts.items()]
    post(compound=compound, kind=kind, posted_on=day, legs=[(bank, sum(amounts.values())), *legs], memo=memo)


def _interest(compound, bank, day) -> None:
    open_period(compound, day)
    holders = lock_accounts(bank.__class__.objects.filter(compound=compound, kind=AccountKind.HOUSEHOLD_FUND,
                                                          balance__gt=0))
    total = sum((a.balance for a in holders.values()), Decimal(0))
    interest = (total * INTEREST_RATE).quantize(Decimal("0.01"))
    if interest <= 0:
        return
    shares = apportion(interest, {pk: a.balance for pk, a in holders.items()})
    post(compound=compound, kind=TransactionKind.INTEREST, posted_on=day, memo="维修资金年度利息分配",
         legs=[(bank, interest), *[(holders[pk], -s) for pk, s in sorted(shares.items()) if s]])


RELIEF_REASON = "低保户（社区核实，民政低保证在册）"


@transaction.atomic
def seed_fees(compound) -> None:
    """Twelve months of fee bills (fee_months); nine in ten households pay each month (one in sixteen is behind
    all year), one in forty is relieved as a minimum-living-allowance household. One transaction per compound and
    month."""
    contract = active_contract(compound.pk)
    households = list(Household.objects.filter(compound=compound).order_by("pk"))
    if contract is None or not contract.fee_standard or not households:
        return
    rate = contract.fee_standard
    receivable = household_accounts(households, AccountKind.FEES_RECEIVABLE)
    income = compound_account(compound, AccountKind.FEE_INCOME)
    cash = compound_account(compound, AccountKind.FEE_CASH)
    relief_account = compound_account(compound, AccountKind.FEE_RELIEF)
    amounts = {h.pk: times(h.floor_area, rate) for h in households}
    relieved = [h for i, h in enumerate(households) if i % 40 == 7]
    behind = {h.pk for i, h in enumerate(households) if i % 16 == 5}
    bills, payments, reliefs = [], [], []
    months = fee_months()
    for year, month in months:
        day = datetime.date(year, month, 1)
        bill = post(compound=compound, kind=TransactionKind.BILL, posted_on=day, memo=f"{year}年{month}月物业费",
                    legs=[*[(receivable[pk], a) for pk, a in amounts.items()], (income, -sum(amounts.values()))])
        bills += [FeeBill(compound=compound, household=h, year=year, month=month, floor_area=h.floor_area,
                          rate=rate, amount=amounts[h.pk], transaction=bill) for h in households]
        payers = [h for i, h in enumerate(households)
                  if h.pk not in behind and h not in relieved and (i + month) % 25 != 0]
        paid_on = day + datetime.timedelta(days=9)
        paid = post(compound=compound, kind=TransactionKind.PAYMENT, posted_on=paid_on, memo="物业费收款（批量导入）",
                    legs=[(cash, sum(amounts[h.pk] for h in payers)), *[(receivable[h.pk], -amounts[h.pk])
                                                                        for h in payers]])
        payments += [FeePayment(compound=compound, household=h, receipt_no=f"{year}{month:02d}-{h.pk:06d}",
                                amount=amounts[h.pk], paid_on=paid_on, transaction=paid) for h in payers]
    for h in relieved:
        owed = amounts[h.pk] * 12
        txn = post(compound=compound, kind=TransactionKind.RELIEF, posted_on=datetime.date(*months[-1], 20),
                   memo=RELIEF_REASON, legs=[(relief_account, owed), (receivable[h.pk], -owed)])
        reliefs.append(FeeRelief(compound=compound, household=h, amount=owed, reason=RELIEF_REASON,
                                 granted_by=_granter(), transaction=txn))
    FeeBill.objects.bulk_create(bills, batch_size=5000)
    FeePayment.objects.bulk_create(payments, batch_size=5000)
    FeeRelief.objects.bulk_create(reliefs)


COMMON_MONTHLY = (
    ("income", "parking", Decimal("6200.00"), "地面停车位临时停车费"),
    ("income", "advertising", Decimal("1500.00"), "电梯轿厢广告位租金"),
    ("expense", "maintenance", Decimal("1830.00"), "公共部位小修及绿化补植"),
)


def seed_common(ctx, compounds) -> None:
    """Common-part income and expenses, reviewed and published: twelve monthly statements in the demo compound
    (by its committee member), and the last month's statement in about nine compounds in ten (by the platform
    admin, standing in for their committees)."""
    from communities.demo import first_compound

    User = get_user_model()
    demo = first_compound(ctx.main, 0)
    member = User.objects.filter(username="committee_member").first()
    admin = _granter()
    for index, compound in enumerate(compounds):
        is_demo = compound.pk == demo.pk and member is not None
        if not is_demo and index % 10 == 9:
            continue  # this compound has not published online
        months = fee_months()
        _publish_months(compound, member if is_demo else admin, months if is_demo else months[-1:])


def _publish_months(compound, actor, months) -> None:
    """The months' ((year, month) pairs) parking, advertising and upkeep entered, approved and published through the services."""
    from ledger import common

    for year, month in months:
        for kind, category, amount, text in COMMON_MONTHLY:
            item = common.common_item_enter(actor=actor, compound=compound, kind=kind, category=category,
                                            amount=amount + month * 10, occurred_on=datetime.date(year, month, 15),
                                            description=text)
            common.common_item_review(actor=actor, item=item, approve=True, note="业委会审核同意")
        common.statement_publish(actor=actor, compound=compound, year=year, month=month)


def _granter():
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _close_months(compound, until: datetime.date) -> None:
    """Every month with postings before `until` closed, as the centre does at each month's end."""
    Period.objects.filter(compound=compound, status=Period.Status.OPEN).filter(
        year__lt=until.year).update(status=Period.Status.CLOSED, closed_at=timezone.now())
    Period.objects.filter(compound=compound, status=Period.Status.OPEN, year=until.year,
                          month__lt=until.month).update(status=Period.Status.CLOSED, closed_at=timezone.now())


def seed_applications(ctx) -> None:
    from communities.demo import first_compound

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(
        username__in=["committee_member", "community_office", "street_office", "district_center"])}
    compound = first_compound(ctx.main, 0)
    decision = _owners_decision(compound, users)
    buildings = list(compound.buildings.order_by("pk")[:2])
    now = timezone.now()
    paid = services.fund_application_submit(
        actor=users["committee_member"], compound=compound, project="1幢屋面防水层翻新", amount="48600.00",
        contractor="宁波恒固防水工程有限公司", buildings=buildings[:1], applicant=FundApplication.Applicant.COMMITTEE,
        quotes="恒固防水 48,600 元；甬安建设 52,300 元；三家比价取最低", decision=decision,
        is_emergency=decision is None, description="顶层住户反映雨季渗漏，经业主大会表决使用维修资金。",
        now=now - datetime.timedelta(days=60),
    )
    reviewers = {"community": "community_office", "street": "street_office", "center": "district_center"}
    for days in (58, 56, 55):
        if paid.status in services.REVIEW_STEPS:
            level = services.REVIEW_STEPS[paid.status][0]
            services.fund_application_review(actor=users[reviewers[level]], application=paid, level=level,
                                             approve=True, opinion="材料齐全，同意。",
                                             now=now - datetime.timedelta(days=days))
            paid.refresh_from_db()
    services.fund_document_add(actor=users["community_office"], application=paid, kind="acceptance_photo",
                               file=ContentFile(_PIXEL, name="acceptance.png"), title="完工照片")
    services.fund_application_accept(actor=users["community_office"], application=paid,
                                     note="闭水试验合格，业委会与社区共同验收。", now=now - datetime.timedelta(days=20))
    services.fund_disburse(actor=users["district_center"], application=paid,
                           posted_on=timezone.localdate() - datetime.timedelta(days=15))
    waiting = services.fund_application_submit(
        actor=users["committee_member"], compound=compound, project="2幢电梯钢丝绳更换", amount="32800.00",
        contractor="宁波快捷电梯维保有限公司", buildings=buildings[1:] or buildings,
        applicant=FundApplication.Applicant.COMMITTEE, quotes="快捷电梯 32,800 元", decision=decision,
        is_emergency=decision is None, now=now - datetime.timedelta(days=4),
    )
    if waiting.status == FundApplication.Status.AT_COMMUNITY:
        services.fund_application_review(actor=users["community_office"], application=waiting, level="community",
                                         approve=True, opinion="同意，报街道审核。",
                                         now=now - datetime.timedelta(days=3))
    ctx.say(f"  fund applications in {compound.name}: one paid, one waiting at the street")
    # The second district has its own: an emergency waiting at its street (raised by the platform admin, who
    # acts for the community there in the demo).
    other = first_compound(ctx.other, 0)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    services.fund_application_submit(
        actor=admin, compound=other, project="3幢消防喷淋管道抢修", amount="6800.00", contractor="杭州安消消防工程有限公司",
        buildings=list(other.buildings.order_by("pk")[:1]), applicant=FundApplication.Applicant.COMMUNITY,
        is_emergency=True, now=now - datetime.timedelta(days=1),
    )


def _owners_decision(compound, users) -> Vote:
    """The owners' assembly's vote to use the fund, taken under the Civil Code rule with paper ballots."""
    from governance import services as governance
    from governance.models import AgendaItem, Ballot, Meeting, Voter

    User = get_user_model()
    users = {**users, **{u.username: u for u in User.objects.filter(username="commissioner")}}
    now = timezone.now() - datetime.timedelta(days=75)
    meeting = Meeting.objects.create(compound=compound, kind=Meeting.Kind.OWNERS_ASSEMBLY,
                                     title=f"{compound.name}业主大会（维修资金使用）", held_at=now, attendees="全体业主")
    item = AgendaItem.objects.create(meeting=meeting, title="使用住宅专项维修资金：屋面防水、电梯钢丝绳")
    vote = governance.vote_open(actor=users["community_office"], item=item, rule="civil_code_ordinary",
                                deadline=now + datetime.timedelta(days=10), now=now)
    for i, voter in enumerate(Voter.objects.filter(vote=vote).order_by("pk")):
        if i % 6 == 5:
            continue  # one in six does not take part
        governance.ballot_cast(actor=users["commissioner"], vote=vote, voter=voter, channel=Ballot.Channel.PAPER,
                               choice="oppose" if i % 7 == 3 else "approve", now=now + datetime.timedelta(days=1))
    return governance.vote_close(actor=users["community_office"], vote=vote, now=now + datetime.timedelta(days=10))


# A 1×1 PNG: the acceptance photo of the demo.
_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)
