"""Writes of the firms' evaluation: the quarter's inputs (survey, appraisals, incidents), the set-based scoring,
the three-level review and publication, appeals, the list's consequences (talks, the two-strike rule) and the
annual stars."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Compound, Household
from communities.scope import scope_for
from core.errors import DomainError
from governance import selectors as governance_selectors
from notifications.services import notify
from petitions import selectors as petition_selectors
from properties import selectors as property_selectors
from properties import services as property_services
from properties.models import Contract
from rankings import notices, rules
from rankings.models import (
    Appeal,
    Appraisal,
    EvaluationRules,
    ExitCase,
    FirmResult,
    Incident,
    Period,
    Placement,
    Review,
    Score,
    Stars,
    SurveyAnswer,
    Talk,
)
from rankings.policies import (
    appeal_policy,
    appraisal_policy,
    incident_policy,
    period_policy,
    review_policy,
    rules_policy,
)

SERVED_STATUSES = (Contract.Status.ACTIVE, Contract.Status.ENDED, Contract.Status.ENDED_EARLY)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    following = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, following - datetime.timedelta(days=1)


def rules_for(district_id: int) -> tuple[dict, rules.PlacementRules, int]:
    """(weights, placement rules, appeal days) of the district: its own, else the defaults."""
    found = EvaluationRules.objects.filter(district_id=district_id).first()
    if found is None:
        return dict(rules.DEFAULT_WEIGHTS), rules.PlacementRules(), 7
    return (rules.parse_weights(found.weights), rules.PlacementRules(found.red_share, found.red_min_score, found.black_below),
            found.appeal_days)


# --- the quarter's inputs ---------------------------------------------------------------------------------

@transaction.atomic
def rules_save(*, actor, district_id: int, weights=None, **fields) -> EvaluationRules:
    """Creates or changes the district's evaluation rules (the district centre); the weights are checked by
    rules.parse_weights and stored as decimal strings."""
    found = EvaluationRules.objects.select_for_update().filter(district_id=district_id).first() \
        or EvaluationRules(district_id=district_id, weights=rules.weights_json(rules.DEFAULT_WEIGHTS))
    rules_policy.require(actor, "change" if found.pk else "add", found)
    if weights is not None:
        found.weights = weights
    for name, value in fields.items():
        setattr(found, name, value)
    found.full_clean()  # EvaluationRules.clean checks and normalises the weights
    found.save()
    return found


@transaction.atomic
def period_open(*, actor, district, year: int, quarter: int) -> Period:
    starts_on, ends_on = quarter_bounds(year, quarter)
    period = Period(district=district, year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on)
    period_policy.require(actor, "add", period)
    if Period.objects.filter(district=district, year=year, quarter=quarter).exists():
        raise DomainError(_("This quarter is already open."), field="quarter")
    period.save()
    return period


def _require_served(period: Period, compound: Compound, firm_id: int) -> None:
    if not served_contracts(period).filter(firm_id=firm_id, compound=compound).exists():
        raise DomainError(_("This firm did not serve the compound in the quarter."), field="firm")


def _require_open(period: Period) -> None:
    if period.status != Period.Status.OPEN:
        raise DomainError(_("This quarter is no longer open for answers and appraisals."), field="period")


def survey_answer(*, actor, household: Household, score: int, today: datetime.date | None = None) -> SurveyAnswer:
    """A resident's answer for their household to the quarter's one question; once per household per quarter
    (the database constraint decides between two at once)."""
    if household.pk not in scope_for(actor).own_household_ids:
        raise Http404
    if not 1 <= int(score) <= 5:
        raise DomainError(_("Choose 1 to 5."), field="score")
    today = today or timezone.localdate()
    period = Period.objects.filter(district_id=household.district_id, starts_on__lte=today, ends_on__gte=today,
                                   status=Period.Status.OPEN).first()
    if period is None:
        raise DomainError(_("There is no survey open this quarter."), field="period")
    contract = property_selectors.active_contract(household.compound_id)
    if contract is None:
        raise DomainError(_("Your compound has no property firm to rate."), field="household")
    try:
        with transaction.atomic():
            return SurveyAnswer.objects.create(period=period, household_id=household.pk,
                                               compound_id=household.compound_id, firm_id=contract.firm_id,
                                               score=int(score), answered_by=actor)
    except IntegrityError as exc:
        raise DomainError(_("Your household has already answered this quarter."), field="household") from exc


def appraisal_check(*, actor, period: Period, compound: Compound, firm_id: int, reasons: str) -> str:
    """The appraisal's rules (the service's, and the admin form's field errors); returns the level the actor
    appraises at (by their role over the compound)."""
    _require_open(period)
    level = appraisal_policy.level_for(actor, compound)
    if level is None:
        appraisal_policy.require(actor, "add", Appraisal(compound=compound))
        raise DomainError(_("You may not appraise this compound."), field="compound")
    if not (reasons or "").strip():
        raise DomainError(_("Give the reasons for the score."), field="reasons")
    _require_served(period, compound, firm_id)
    return level


@transaction.atomic
def appraisal_save(*, actor, period: Period, compound: Compound, firm_id: int, score: Decimal,
                   reasons: str) -> Appraisal:
    """The community's, the street's or the owners' committee's appraisal (by the actor's role) of the firm in
    the compound, with reasons; saved again it replaces the earlier one until the quarter is scored."""
    level = appraisal_check(actor=actor, period=period, compound=compound, firm_id=firm_id, reasons=reasons)
    appraisal, _created = Appraisal.objects.update_or_create(
        period=period, compound=compound, firm_id=firm_id, level=level,
        defaults={"score": score, "reasons": reasons.strip(), "appraised_by": actor},
    )
    appraisal.full_clean()
    return appraisal


@transaction.atomic
def incident_record(*, actor, period: Period, compound: Compound, firm_id: int, occurred_on: datetime.date,
                    description: str) -> Incident:
    """The street records a serious incident: the firm is black-listed for the quarter whatever its score."""
    incident = Incident(period=period, compound=compound, firm_id=firm_id, occurred_on=occurred_on,
                        description=description.strip(), recorded_by=actor)
    incident_policy.require(actor, "add", incident)
    if not period.starts_on <= occurred_on <= period.ends_on:
        raise DomainError(_("The incident must have occurred in the quarter."), field="occurred_on")
    _require_served(period, compound, firm_id)
    if period.status == Period.Status.PUBLISHED:
        raise DomainError(_("The quarter is published; record it in the next one."), field="period")
    incident.full_clean(exclude=["recorded_by"])
    incident.save()
    return incident


# --- scoring ------------------------------------------------------------------------------------------------

def served_contracts(period: Period):
    """The contracts of the district under which a firm served a compound during the period: the one rule of
    who is scored, appraised and may be vetoed."""
    return Contract.objects.filter(
        district_id=period.district_id, status__in=SERVED_STATUSES, starts_on__lte=period.ends_on,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))


def served_pairs(period: Period) -> list[tuple[int, int, int, int]]:
    """(firm, compound, street, community) for every firm that served a compound of the district during the
    period under a contract."""
    return sorted(set(served_contracts(period).values_list(
        "firm_id", "compound_id", "compound__street_id", "compound__community_id")))


def evaluate(period: Period) -> tuple[list[Score], list[FirmResult]]:
    """The scores of every firm in every compound it served, and each firm's result, computed from a fixed
    number of grouped queries whatever the number of firms; nothing is saved."""
    weights, placement_rules, _days = rules_for(period.district_id)
    start = datetime.datetime.combine(period.starts_on, datetime.time.min, tzinfo=timezone.get_current_timezone())
    end = start + (period.ends_on - period.starts_on + datetime.timedelta(days=1))
    pairs = served_pairs(period)
    petitions = petition_selectors.firm_compound_figures(period.district_id, start, end)
    surveys = {(r["firm_id"], r["compound_id"]): r for r in SurveyAnswer.objects.filter(period=period).values(
        "firm_id", "compound_id").annotate(answers=Count("pk"), score_sum=Sum("score")).order_by()}
    appraisals = defaultdict(dict)
    for firm_id, compound_id, level, score in Appraisal.objects.filter(period=period).values_list(
            "firm_id", "compound_id", "level", "score"):
        appraisals[firm_id, compound_id][level] = score
    vetoes = set(Incident.objects.filter(period=period, withdrawn=False).values_list("firm_id", "compound_id"))
    coverage = governance_selectors.firm_coverage(period.district_id)
    scores = []
    for firm_id, compound_id, street_id, community_id in pairs:
        values = rules.indicator_values(petitions=petitions.get((firm_id, compound_id)),
                                        survey=surveys.get((firm_id, compound_id)),
                                        coverage=coverage.get(firm_id), appraisals=appraisals[firm_id, compound_id])
        score, breakdown = rules.compound_score(values, weights)
        vetoed = (firm_id, compound_id) in vetoes
        if vetoed:
            breakdown["veto"] = "a serious incident recorded by the street"
        scores.append(Score(period=period, firm_id=firm_id, district_id=period.district_id, compound_id=compound_id,
                            street_id=street_id, community_id=community_id, score=score, vetoed=vetoed,
                            breakdown=breakdown))
    by_firm = defaultdict(list)
    for s in scores:
        by_firm[s.firm_id].append(s)
    firm_rows = [(firm_id, rules.firm_score([s.score for s in rows]), any(s.vetoed for s in rows))
                 for firm_id, rows in by_firm.items()]
    placed = rules.place(firm_rows, placement_rules)
    results = [FirmResult(period=period, firm_id=firm_id, score=score, compounds=len(by_firm[firm_id]),
                          rank=placed[firm_id][0], vetoed=vetoed, placement=placed[firm_id][1])
               for firm_id, score, vetoed in firm_rows]
    return scores, results


@transaction.atomic
def period_compute(*, period: Period, actor=None) -> Period:
    """Scores the quarter (Celery at the quarter's end, or the district centre on demand) and stores the
    breakdowns; run again it gives the same answer from the same inputs. A published quarter is recomputed only
    by an upheld appeal (appeal_decide)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if actor is not None:
        period_policy.require(actor, "change", period)
    if period.status == Period.Status.PUBLISHED:
        raise DomainError(_("The quarter is published; only an upheld appeal recomputes it."), field="period")
    _store(period)
    period.status = Period.Status.COMPUTED
    period.save(update_fields=["status", "computed_at"])
    return period


def _store(period: Period) -> None:
    scores, results = evaluate(period)
    Score.objects.filter(period=period).delete()
    FirmResult.objects.filter(period=period).delete()
    Score.objects.bulk_create(scores, batch_size=2000)
    FirmResult.objects.bulk_create(results, batch_size=2000)
    period.computed_at = timezone.now()


def periods_compute_due(*, today: datetime.date | None = None) -> int:
    """Scores every open quarter that has ended (beat, daily)."""
    today = today or timezone.localdate()
    due = list(Period.objects.filter(status=Period.Status.OPEN, ends_on__lt=today))
    for period in due:
        period_compute(period=period)
    return len(due)


# --- review and publication ---------------------------------------------------------------------------------

def review_pending(period: Period) -> dict:
    """What still awaits review: {"community": ids, "street": ids, "district": bool}; a street reviews once all
    its scored communities have, the district centre once all scored streets have."""
    scored = set(Score.objects.filter(period=period).values_list("street_id", "community_id").distinct())
    done = defaultdict(set)
    for level, node_id in Review.objects.filter(period=period).values_list("level", "node_id"):
        done[level].add(node_id)
    communities = {c for _s, c in scored} - done[Review.Level.COMMUNITY]
    streets = {s for s, _c in scored} - done[Review.Level.STREET]
    return {"community": communities, "street": streets,
            "district": not done[Review.Level.DISTRICT], "scored": scored}


@transaction.atomic
def review_add(*, actor, period: Period, opinion: str) -> Review:
    """The actor's office signs its review with an opinion; the order community → street → district centre is
    enforced, and the district centre's review publishes the quarter and its list."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != Period.Status.COMPUTED:
        raise DomainError(_("Only a scored quarter awaiting publication is reviewed."), field="period")
    if not opinion.strip():
        raise DomainError(_("Write the review opinion."), field="opinion")
    reviewer = review_policy.reviewer_of(actor, period)
    if reviewer is None:
        review_policy.require(actor, "add", Review(period=period))
        raise DomainError(_("Your office does not review this quarter."), field="period")
    level, node_id = reviewer
    pending = review_pending(period)
    scored = pending["scored"]
    if level == Review.Level.COMMUNITY:
        if node_id not in {c for _s, c in scored}:
            raise DomainError(_("No compound of your community was scored this quarter."), field="period")
    elif level == Review.Level.STREET:
        waiting = {c for s, c in scored if s == node_id} & pending["community"]
        if not {s for s, _c in scored} & {node_id}:
            raise DomainError(_("No compound of your street was scored this quarter."), field="period")
        if waiting:
            raise DomainError(_("%(count)s communities of the street have not reviewed yet.")
                              % {"count": len(waiting)}, field="period")
    elif pending["street"]:
        raise DomainError(_("%(count)s streets have not reviewed yet.") % {"count": len(pending["street"])},
                          field="period")
    if Review.objects.filter(period=period, level=level, node_id=node_id).exists():
        raise DomainError(_("Your office has already reviewed this quarter."), field="period")
    review = Review.objects.create(period=period, level=level, node_id=node_id, opinion=opinion.strip(),
                                   reviewer=actor)
    if level == Review.Level.DISTRICT:
        _publish(period)
    return review


def _publish(period: Period) -> None:
    period.status = Period.Status.PUBLISHED
    period.published_at = timezone.now()
    period.save(update_fields=["status", "published_at"])
    _consequences(period)


def _consequences(period: Period) -> None:
    """What the published list brings: a talk with every black-listed firm, and the two-strike rule."""
    black = list(FirmResult.objects.filter(period=period, placement=Placement.BLACK).values_list("firm_id", flat=True))
    Talk.objects.bulk_create([Talk(period=period, firm_id=f) for f in black], ignore_conflicts=True)
    two_strikes(period)


def two_strikes(period: Period) -> list[ExitCase]:
    """Flags every active contract whose firm has been black-listed twice within that contract's term (published
    quarters ending inside it) as "may be ended early", tells the owners' committee, the community and the street,
    and opens the exit workflow. One black listing in each of two terms flags nothing. Set-based: one query finds
    the contracts whatever the number of firms."""
    black_now = FirmResult.objects.filter(period=period, placement=Placement.BLACK).values("firm_id")
    strikes = FirmResult.objects.filter(
        firm_id=OuterRef("firm_id"), placement=Placement.BLACK, period__status=Period.Status.PUBLISHED,
        period__ends_on__gte=OuterRef("starts_on"),
        period__ends_on__lte=Coalesce(OuterRef("ends_on"), Value(datetime.date.max)),
    ).values("firm_id").annotate(n=Count("pk")).values("n")
    contracts = Contract.objects.filter(
        district_id=period.district_id, status=Contract.Status.ACTIVE, firm_id__in=black_now,
    ).annotate(strikes=Subquery(strikes)).filter(strikes__gte=2)
    flagged = property_services.contracts_flag_may_end_early(contracts.values_list("pk", flat=True))
    cases = []
    for contract in Contract.objects.filter(pk__in=flagged).select_related("compound", "firm"):
        compound = contract.compound
        case = _exit_case_for(contract)
        cases.append(case)
        notify(notices.compound_parties(compound),
               subject=_("%(firm)s was black-listed twice: the contract of %(compound)s may be ended early") % {
                   "firm": contract.firm.name, "compound": compound.name},
               body=_("The exit workflow is open: the owners decide by a vote, or the street decides."), target=case)
    return cases


def _exit_case_for(contract: Contract) -> ExitCase:
    """The contract's exit case not dropped (one by the database constraint): the one already open (the owners
    may have opened it by hand before the second strike), else a new two-strike case."""
    existing = ExitCase.objects.filter(contract=contract).exclude(status=ExitCase.Status.DROPPED).first()
    if existing is not None:
        return existing
    compound = contract.compound
    try:  # the constraint decides between two publications at once
        with transaction.atomic():
            return ExitCase.objects.create(
                district_id=contract.district_id, street_id=compound.street_id,
                community_id=compound.community_id, compound=compound, contract=contract, firm=contract.firm,
                reason=ExitCase.Reason.TWO_STRIKES,
            )
    except IntegrityError:
        return ExitCase.objects.filter(contract=contract).exclude(status=ExitCase.Status.DROPPED).get()


# --- appeals --------------------------------------------------------------------------------------------------

@transaction.atomic
def appeal_file(*, actor, period: Period, firm_id: int, reason: str, now=None) -> Appeal:
    """The firm appeals its published result within the district's appeal days."""
    now = now or timezone.now()
    appeal = Appeal(period=period, firm_id=firm_id, reason=reason.strip(), filed_by=actor)
    appeal_policy.require(actor, "add", appeal)
    if period.status != Period.Status.PUBLISHED:
        raise DomainError(_("Only a published quarter may be appealed."), field="period")
    _weights, _rules, days = rules_for(period.district_id)
    if now > period.published_at + datetime.timedelta(days=days):
        raise DomainError(_("The %(days)s days to appeal have passed.") % {"days": days}, field="period")
    if not FirmResult.objects.filter(period=period, firm_id=firm_id).exists():
        raise DomainError(_("The firm has no result this quarter."), field="firm")
    if not appeal.reason:
        raise DomainError(_("Give the reason for the appeal."), field="reason")
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:
        raise DomainError(_("The firm already has an open appeal on this quarter."), field="period") from exc
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, upheld: bool, decision: str,
                  withdraw_incidents: bool = False) -> Appeal:
    """The district centre decides an appeal; an upheld one (after its inputs are corrected, or with the
    firm's vetoing incidents withdrawn) recomputes the quarter and its list."""
    appeal = Appeal.objects.select_for_update().select_related("period").get(pk=appeal.pk)
    appeal_policy.require(actor, "view", appeal)
    if not appeal_policy.can(actor, "decide", appeal):
        raise PermissionDenied(_("The district centre decides appeals."))
    if appeal.status != Appeal.Status.OPEN:
        raise DomainError(_("This appeal is decided."), field="appeal")
    if not decision.strip():
        raise DomainError(_("Write the decision."), field="decision")
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
    appeal.decision, appeal.decided_by, appeal.decided_at = decision.strip(), actor, timezone.now()
    appeal.save()
    if upheld:
        period = Period.objects.select_for_update().get(pk=appeal.period_id)
        if withdraw_incidents:
            Incident.objects.filter(period=period, firm_id=appeal.firm_id).update(withdrawn=True)
        _store(period)
        period.save(update_fields=["computed_at"])
        _consequences(period)
    return appeal


# --- stars ----------------------------------------------------------------------------------------------------

@transaction.atomic
def stars_compute(*, district_id: int, year: int) -> list[Stars]:
    """Each firm's stars for the year from its published quarters (rules.stars_for); run again it replaces them."""
    rows = FirmResult.objects.filter(period__district_id=district_id, period__year=year,
                                     period__status=Period.Status.PUBLISHED).values_list("firm_id", "score",
                                                                                         "placement")
    by_firm = defaultdict(list)
    for firm_id, score, placement in rows:
        by_firm[firm_id].append((score, placement))
    stars = []
    for firm_id, results in by_firm.items():
        mean = rules.firm_score([s for s, _p in results])
        black = sum(p == Placement.BLACK for _s, p in results)
        stars.append(Stars(district_id=district_id, firm_id=firm_id, year=year, mean_score=mean,
                           stars=rules.stars_for(mean, black), black_listings=black,
                           red_listings=sum(p == Placement.RED for _s, p in results)))
    Stars.objects.filter(district_id=district_id, year=year).delete()
    return Stars.objects.bulk_create(stars)

