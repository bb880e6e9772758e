"""Demo of the firms' evaluation: eight published quarters per district with their lists, talks and stars, the
current quarter open for the survey, a firm black-listed twice within one contract term (its exit opened by the
two-strike rule), and an exit whose handover is under way.

Set-based like the real computation (rankings.services.evaluate), so the small seed stays quick. The demo writes
its appraisals, incidents and review opinions as rows; the order and rules of the reviews are the services' and
are tested there."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from communities.demo import first_compound
from communities.models import Compound, ManagementMode
from properties import services as property_services
from properties.models import Contract
from rankings import rules, selectors, services, takeover
from rankings.models import (
    Appeal,
    Appraisal,
    EvaluationRules,
    ExitCase,
    FirmResult,
    HandoverItem,
    Incident,
    Period,
    Review,
    Score,
)

QUARTERS = 8
REASONS = {Appraisal.Level.COMMUNITY: "日常巡查记录完整，整改基本及时", Appraisal.Level.STREET: "季度检查：环境卫生、安全管理达标",
           Appraisal.Level.COMMITTEE: "业委会评议：服务态度较好，公示及时"}


def _past_quarters(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append((year, quarter))
    return list(reversed(out))


def seed(ctx) -> None:
    rng = random.Random(9)  # its own generator: the other seeders' draws stay as they were
    today = ctx.today
    quarters = _past_quarters(today, QUARTERS)
    protected = _protected_firms(ctx)
    for district in ctx.districts:
        # The district's own rules, the seeds' defaults (the district centre changes them in the admin or API).
        EvaluationRules.objects.get_or_create(district=district,
                                              defaults={"weights": rules.weights_json(rules.DEFAULT_WEIGHTS)})
        struck = _two_strike_contract(ctx, district, quarters, protected)
        periods = []
        for index, (year, quarter) in enumerate(quarters):
            period = _published_quarter(ctx, rng, district, year, quarter, protected,
                                         strike=struck if index in (QUARTERS - 5, QUARTERS - 2) else None)
            periods.append(period)
        for year in sorted({y for y, _q in quarters}):
            services.stars_compute(district_id=district.pk, year=year)
        if struck is not None:
            _appeal(ctx, district, struck.firm_id, periods[QUARTERS - 2])
        _zero_one(ctx, district)
        year, quarter = (today.year, (today.month - 1) // 3 + 1)
        start, end = services.quarter_bounds(year, quarter)
        Period.objects.create(district=district, year=year, quarter=quarter, starts_on=start, ends_on=end)
        cases = ExitCase.objects.filter(district=district).count()
        ctx.say(f"  {district.name}: {len(periods)} quarters published, {cases} exits opened")
    _handover_under_way(ctx, protected)


def _protected_firms(ctx) -> set[int]:
    """Firms of the demo logins' compounds: their contracts stay as the other demos and tests expect them."""
    compounds = [first_compound(d, i) for d in ctx.districts for i in range(2)]
    return set(Contract.objects.filter(compound__in=compounds, status=Contract.Status.ACTIVE)
               .values_list("firm_id", flat=True))


def _two_strike_contract(ctx, district, quarters, protected) -> Contract | None:
    """A contract whose term covers the eight quarters, of a firm that will be black-listed twice in it."""
    contract = Contract.objects.filter(district=district, status=Contract.Status.ACTIVE).exclude(
        firm_id__in=protected).order_by("pk").first()
    if contract is None:
        return None
    start = services.quarter_bounds(*quarters[0])[0]
    Contract.objects.filter(pk=contract.pk).update(starts_on=start, ends_on=start.replace(year=start.year + 3))
    return contract


def _published_quarter(ctx, rng, district, year, quarter, protected, strike: Contract | None) -> Period:
    start, end = services.quarter_bounds(year, quarter)
    published = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=12), datetime.time(9)))
    period = Period.objects.create(district=district, year=year, quarter=quarter, starts_on=start, ends_on=end,
                                   status=Period.Status.COMPUTED)
    pairs = services.served_pairs(period)
    # Firms differ in quality, quarters a little: each firm has its level, each appraisal a few points around it.
    # The demo logins' firms do well, so that no exit of theirs disturbs the other demos.
    level = {f: rng.randrange(82, 97) if f in protected else rng.randrange(55, 97)
             for f in sorted({f for f, _c, _s, _m in pairs})}
    Appraisal.objects.bulk_create([
        Appraisal(period=period, firm_id=f, compound_id=c, level=lv, appraised_by=ctx.admin, reasons=REASONS[lv],
                  score=Decimal(min(100, max(0, level[f] + rng.randrange(-6, 7)))))
        for f, c, _s, _m in pairs for lv in Appraisal.Level.values
    ], batch_size=5000)
    if strike is not None:
        Incident.objects.create(period=period, compound_id=strike.compound_id, firm_id=strike.firm_id,
                                occurred_on=start + datetime.timedelta(days=20), recorded_by=ctx.admin,
                                description="消防通道长期堵塞，经街道督办仍未整改")
    scores, results = services.evaluate(period)
    Score.objects.bulk_create(scores, batch_size=5000)
    FirmResult.objects.bulk_create(results, batch_size=5000)
    scored = {(s.street_id, s.community_id) for s in scores}
    Review.objects.bulk_create(
        [Review(period=period, level=Review.Level.COMMUNITY, node_id=c, opinion="社区审核通过", reviewer=ctx.admin)
         for c in sorted({c for _s, c in scored})]
        + [Review(period=period, level=Review.Level.STREET, node_id=s, opinion="街道审核通过", reviewer=ctx.admin)
           for s in sorted({s for s, _c in scored})]
        + [Review(period=period, level=Review.Level.DISTRICT, node_id=district.pk, opinion="区中心审定，予以公布",
                  reviewer=ctx.admin)])
    Period.objects.filter(pk=period.pk).update(status=Period.Status.PUBLISHED, computed_at=published,
                                               published_at=published)
    period.refresh_from_db()
    services._consequences(period)
    return period


def _appeal(ctx, district, firm_id, period) -> None:
    """The struck firm appealed its second black listing; the district centre dismissed it."""
    Appeal.objects.create(period=period, firm_id=firm_id, filed_by=ctx.admin, reason="事故系业主违规堆放杂物所致",
                          status=Appeal.Status.DISMISSED, decision="经街道核实，物业未履行消防巡查职责，申诉不成立",
                          decided_by=ctx.admin, decided_at=period.published_at + datetime.timedelta(days=5))


def _zero_one(ctx, district) -> None:
    """The district's last unmanaged compound zeroed, in the custody of its residents' committee (the others stay
    for the demo logins to zero)."""
    compound = Compound.objects.filter(district=district, management_mode=ManagementMode.UNMANAGED).order_by(
        "-pk").first()
    if compound is None:
        return
    property_services.fallback_assign(
        actor=ctx.admin, compound=compound, mode=ManagementMode.COMMITTEE_CUSTODY, custodian=f"{compound.community}居委会",
        startup_money=Decimal("80000.00"), zeroed_on=ctx.today - datetime.timedelta(days=200),
        note="街道兜底：政府出一点、企业让一点、居民缴一点",
    )


def _handover_under_way(ctx, protected) -> None:
    """In the main district, a firm leaving a compound by the street's decision, half-way through the checklist."""
    district = ctx.main
    busy = set(ExitCase.objects.values_list("firm_id", flat=True)) | protected
    contract = Contract.objects.filter(district=district, status=Contract.Status.ACTIVE).exclude(
        firm_id__in=busy).select_related("compound", "firm").order_by("-pk").first()
    if contract is None:
        return
    case = takeover.exit_open(actor=ctx.admin, contract=contract, reason=ExitCase.Reason.OWNERS)
    takeover.exit_decide(actor=ctx.admin, case=case, decision=ExitCase.Decision.STREET)
    year = ctx.today.year
    incoming = selectors.firms_by_priority(district.pk, year=year).exclude(pk=contract.firm_id).first()
    takeover.handover_start(actor=ctx.admin, case=case, incoming_firm=incoming)
    HandoverItem.objects.bulk_create([
        HandoverItem(case=case, item=item, side=side, ticked_by=ctx.admin)
        for item in (HandoverItem.Item.KEYS, HandoverItem.Item.ARCHIVES)
        for side in HandoverItem.Side.values
    ])
    ctx.say(f"  handover of {contract.compound.name}: {contract.firm.name} → {incoming.name}")
