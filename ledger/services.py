"""Every write of the owners' ledgers: fund deposits and interest, fund-use applications with their owners'
decision and three-level review, acceptance and payment, reversals and closing a month.

Each service takes the acting user, runs in one database transaction, locks what it changes (application, then
period, then accounts by id: ledger.posting), asks the policy and posts through `ledger.posting.post`."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Household
from core.errors import DomainError
from governance.models import Rule, Vote
from governance.selectors import vote_passed
from ledger import notices
from ledger.models import (
    Account,
    AccountKind,
    FundApplication,
    FundDocument,
    FundReview,
    Leg,
    Period,
    Shortfall,
    Transaction,
    TransactionKind,
)
from ledger.money import apportion, parse_amount, times
from ledger.policies import account_policy, fund_application_policy, period_policy, transaction_policy
from ledger.posting import (
    compound_account,
    household_accounts,
    lock_accounts,
    open_period,
    post,
    reversal_legs,
)
from ledger.uploads import check_upload
from notifications.services import notify

Status = FundApplication.Status

# Civil Code art. 278: using the maintenance fund is decided by the owners under the Code's double majorities
# (the special 3/4 rule decides it too, being stricter); a 5030 or a simple-majority vote does not.
FUND_USE_RULES = frozenset({Rule.CIVIL_CODE_ORDINARY, Rule.CIVIL_CODE_SPECIAL})

# The review steps in their order: who reviews while the application waits in a status, and where approval leads.
REVIEW_STEPS = {
    Status.AT_COMMUNITY: (FundReview.Level.COMMUNITY, Status.AT_STREET),
    Status.AT_STREET: (FundReview.Level.STREET, Status.AT_CENTER),
    Status.AT_CENTER: (FundReview.Level.CENTER, Status.APPROVED),
}
WAITING = frozenset(REVIEW_STEPS)


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- the maintenance fund: deposits and interest ---------------------------------------------------------------

@transaction.atomic
def fund_deposit(*, actor, household: Household, amount=None, rate=None, posted_on: datetime.date | None = None,
                 memo: str = "") -> Transaction:
    """Books a household's deposit into its fund sub-account (分户账): a given amount, or its floor area × a
    rate per m². The first is the first deposit (首期), later ones are top-ups (续筹)."""
    household = Household.objects.get(pk=household.pk)
    compound = household.compound
    account = household_accounts([household], AccountKind.HOUSEHOLD_FUND)[household.pk]
    account_policy.require(actor, "deposit", account)
    if (amount is None) == (rate is None):
        raise ValidationError({"amount": _("Give either an amount or a rate per m².")})
    value = parse_amount(amount) if amount is not None else times(household.floor_area,
                                                                    parse_amount(rate, field="rate"))
    day = posted_on or _today()
    # Locked before `post` (period, then accounts, as it does): the first-deposit test below reads the
    # household's entries, and two first deposits at once must not both be booked as the first.
    open_period(compound, day)
    bank = compound_account(compound, AccountKind.FUND_BANK)
    lock_accounts([bank, account])
    kind = (TransactionKind.TOP_UP
            if Leg.objects.filter(account=account, transaction__kind__in=[TransactionKind.DEPOSIT,
                                                                          TransactionKind.TOP_UP]).exists()
            else TransactionKind.DEPOSIT)
    return post(compound=compound, kind=kind, posted_on=day, legs=[(bank, value), (account, -value)], actor=actor,
                memo=memo)


@transaction.atomic
def fund_interest_allocate(*, actor, compound, amount, posted_on: datetime.date | None = None,
                           memo: str = "") -> Transaction:
    """Books the bank's interest on the fund and shares it over the households in proportion to their balances."""
    bank = compound_account(compound, AccountKind.FUND_BANK)
    account_policy.require(actor, "interest", bank)
    value = parse_amount(amount)
    day = posted_on or _today()
    open_period(compound, day)
    holders = Account.objects.filter(compound=compound, kind=AccountKind.HOUSEHOLD_FUND, balance__gt=0)
    locked = lock_accounts([bank, *holders])
    weights = {pk: a.balance for pk, a in locked.items() if pk != bank.pk and a.balance > 0}
    if not weights:
        raise DomainError(_("No household holds money in the fund to earn interest."), field="amount")
    shares = apportion(value, weights)
    legs = [(bank, value)] + [(locked[pk], -share) for pk, share in sorted(shares.items()) if share]
    return post(compound=compound, kind=TransactionKind.INTEREST, posted_on=day, legs=legs, actor=actor,
                memo=memo)


# --- fund-use applications -------------------------------------------------------------------------------------

def _check_decision(decision: Vote | None, compound) -> None:
    if decision is None:
        raise DomainError(
            _("Using the maintenance fund needs the owners' decision: attach the vote that approved it under the "
              "Civil Code rule, or mark a genuine emergency (lift stopped, leaking roof, fire equipment)."),
            field="decision",
        )
    if decision.compound_id != compound.pk:
        raise DomainError(_("The owners' decision must be a vote of this compound."), field="decision")
    if decision.rule not in FUND_USE_RULES:
        raise DomainError(_("The owners' decision on the fund must be taken under the Civil Code rule "
                            "(art. 278), not under %(rule)s.") % {"rule": decision.get_rule_display()},
                          field="decision")
    if not vote_passed(decision.pk, compound_id=compound.pk):
        raise DomainError(_("The owners' vote has not passed (yet): the fund cannot be used without it."),
                          field="decision")


@transaction.atomic
def fund_application_submit(*, actor, compound, project: str, amount, contractor: str, buildings,
                            households=(), applicant: str, quotes: str = "", description: str = "",
                            decision: Vote | None = None, is_emergency: bool = False,
                            now: datetime.datetime | None = None) -> FundApplication:
    """Raises an application to use the fund; it waits for the community (an emergency for the street)."""
    now = now or timezone.now()
    application = FundApplication(compound=compound, applicant=applicant, applied_by=actor, decision=decision,
                                  is_emergency=bool(is_emergency))
    application.derive_ancestors()
    fund_application_policy.require(actor, "add", application)
    errors = {}
    try:
        application.amount = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if applicant not in FundApplication.Applicant.values:
        errors["applicant"] = [_("Choose who applies: the owners' committee, the firm or the community.")]
    for field, value, message in (("project", project, _("Name the project.")),
                                  ("contractor", contractor, _("Name the contractor."))):
        if not (value or "").strip():
            errors[field] = [message]
    buildings = list(buildings)
    households = list(households)
    if not buildings:
        errors["buildings"] = [_("Choose the buildings the works concern.")]
    elif any(b.compound_id != compound.pk for b in buildings):
        errors["buildings"] = [_("Choose buildings of this compound.")]
    building_ids = {b.pk for b in buildings}
    if any(h.building_id not in building_ids for h in households):
        errors["households"] = [_("Choose households of the affected buildings.")]
    if errors:
        raise ValidationError(errors)
    if not is_emergency:
        _check_decision(decision, compound)
    application.project, application.contractor = project.strip(), contractor.strip()
    application.quotes, application.description = quotes, description
    application.status = Status.AT_STREET if is_emergency else Status.AT_COMMUNITY
    application.waiting_since = now
    # An emergency is published to the owners after the street has approved it, as the rules allow.
    application.published_at = None if is_emergency else now
    application.save()
    application.buildings.set(buildings)
    application.households.set(households)
    level = FundReview.Level.STREET if is_emergency else FundReview.Level.COMMUNITY
    notify(notices.reviewers_of(application, level),
           subject=_("A maintenance fund application waits for your review: %(project)s")
           % {"project": application.project}, target=application)
    return application


@transaction.atomic
def fund_application_review(*, actor, application: FundApplication, level: str, approve: bool, opinion: str,
                            now: datetime.datetime | None = None) -> FundReview:
    """Records one level's review with its opinion and time; the levels go in order, community → street →
    district centre (an emergency starts at the street, whose approval lets the works start)."""
    now = now or timezone.now()
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    fund_application_policy.require(actor, "view", application)
    step = REVIEW_STEPS.get(application.status)
    if step is None:
        raise DomainError(_("This application is not waiting for a review."))
    expected, following = step
    if level != expected:
        raise DomainError(
            _("The %(expected)s reviews this application now: the review goes community → street → district "
              "centre.") % {"expected": FundReview.Level(expected).label},
            field="level",
        )
    fund_application_policy.require(actor, f"review_{level}", application)
    opinion = _text(opinion, "opinion", _("Write the opinion of this review."))
    review = FundReview.objects.create(
        application=application, level=level, opinion=opinion, actor=actor, at=now,
        outcome=FundReview.Outcome.APPROVED if approve else FundReview.Outcome.REJECTED,
    )
    if not approve:
        application.status = Status.REJECTED
    elif application.is_emergency and level == FundReview.Level.STREET:
        application.status = Status.APPROVED
        application.published_at = now
    else:
        application.status = following
    application.waiting_since = now if application.status in WAITING else None
    application.reminded_at = None
    application.save(update_fields=["status", "waiting_since", "reminded_at", "published_at"])
    if application.status in WAITING:
        next_level = REVIEW_STEPS[application.status][0]
        notify(notices.reviewers_of(application, next_level),
               subject=_("A maintenance fund application waits for your review: %(project)s")
               % {"project": application.project}, target=application)
    else:
        notify([application.applied_by_id],
               subject=_("Your maintenance fund application was %(outcome)s: %(project)s")
               % {"outcome": review.get_outcome_display(), "project": application.project},
               body=opinion, target=application)
    return review


@transaction.atomic
def fund_document_add(*, actor, application: FundApplication, kind: str, file, title: str = "") -> FundDocument:
    """Attaches a quote, a document or an acceptance photo (at most 10 MB: ledger.uploads)."""
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    action = "accept" if kind == FundDocument.Kind.ACCEPTANCE_PHOTO else "add"
    fund_application_policy.require(actor, action, application)
    if kind not in FundDocument.Kind.values:
        raise ValidationError({"kind": _("Choose a quote, a document or an acceptance photo.")})
    if application.status in (Status.PAID, Status.REJECTED):
        raise DomainError(_("This application is closed."))
    check_upload(file)
    return FundDocument.objects.create(application=application, kind=kind, file=file, title=title,
                                       uploaded_by=actor)


@transaction.atomic
def fund_application_accept(*, actor, application: FundApplication, note: str,
                            now: datetime.datetime | None = None) -> FundApplication:
    """Records the acceptance of the works (验收), which needs photos; only then may the fund pay in full."""
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    fund_application_policy.require(actor, "accept", application)
    if application.status != Status.APPROVED:
        raise DomainError(_("Only approved works can be accepted."))
    if not application.documents.filter(kind=FundDocument.Kind.ACCEPTANCE_PHOTO).exists():
        raise DomainError(_("Add photos of the finished works before accepting them."), field="photos")
    application.acceptance_note = _text(note, "note", _("Write the acceptance opinion."))
    application.status, application.accepted_at, application.accepted_by = Status.ACCEPTED, now or timezone.now(), actor
    application.save(update_fields=["status", "accepted_at", "accepted_by", "acceptance_note"])
    return application


def affected_households(application: FundApplication) -> list[Household]:
    """The households that share the cost: those named, else every household of the affected buildings."""
    named = list(application.households.order_by("pk"))
    if named:
        return named
    return list(Household.objects.filter(building__in=application.buildings.all()).order_by("pk"))


def cost_shares(application: FundApplication, households=None) -> dict[int, Decimal]:
    """{household id: share of the application's amount}, by floor area, exact to the fen."""
    households = households if households is not None else affected_households(application)
    return apportion(application.amount, {h.pk: h.floor_area for h in households})


@transaction.atomic
def fund_disburse(*, actor, application: FundApplication,
                  posted_on: datetime.date | None = None) -> Transaction | None:
    """Pays the accepted works from the fund: each affected household's sub-account pays its share by floor
    area, as far as its balance goes; what it cannot cover is recorded as a top-up it owes (the fund never goes
    negative). Called again after top-ups, it collects what is still owed. None when nothing could be paid."""
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    fund_application_policy.require(actor, "disburse", application)
    if application.status == Status.APPROVED:
        raise DomainError(_("The works must be accepted (验收) with photos before the fund pays."))
    if application.status != Status.ACCEPTED:
        raise DomainError(_("Only accepted works not yet paid in full can be paid."))
    compound = application.compound
    day = posted_on or _today()
    open_period(compound, day)
    households = affected_households(application)
    shares = cost_shares(application, households)
    paid = defaultdict(Decimal, Leg.objects.filter(
        transaction__application=application, account__kind=AccountKind.HOUSEHOLD_FUND,
    ).values_list("account__household_id").annotate(total=Sum("amount")).values_list("account__household_id",
                                                                                      "total"))
    accounts = household_accounts(households, AccountKind.HOUSEHOLD_FUND)
    bank = compound_account(compound, AccountKind.FUND_BANK)
    locked = lock_accounts([bank, *accounts.values()])
    legs, owed = [], {}
    for household in households:
        due = shares[household.pk] - paid[household.pk]
        if due <= 0:
            continue
        account = locked[accounts[household.pk].pk]
        take = min(due, account.balance)
        if take > 0:
            legs.append((account, take))
        if due > take:
            owed[household.pk] = due - take
    _record_shortfalls(application, owed)
    total = sum((amount for _account, amount in legs), Decimal(0))
    if not total:
        return None
    txn = post(compound=compound, kind=TransactionKind.DISBURSEMENT, posted_on=day,
               legs=[*legs, (bank, -total)], actor=actor, application=application,
               memo=_("Payment to %(contractor)s") % {"contractor": application.contractor})
    application.disbursed += total
    if application.disbursed == application.amount:
        application.status = Status.PAID
    application.save(update_fields=["disbursed", "status"])
    return txn


def _record_shortfalls(application: FundApplication, owed: dict[int, Decimal]) -> None:
    Shortfall.objects.filter(application=application).exclude(household_id__in=list(owed)).delete()
    for household_id, amount in owed.items():
        Shortfall.objects.update_or_create(application=application, household_id=household_id,
                                           defaults={"amount": amount, "compound_id": application.compound_id})


def fund_reviews_remind(*, now: datetime.datetime | None = None, after: datetime.timedelta, batch: int = 200) -> int:
    """Reminds the reviewers of every application that has waited at one step longer than `after` (once per
    wait); returns how many were reminded. Claimed with SKIP LOCKED so two beats at once remind once."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = list(FundApplication.objects.select_for_update(skip_locked=True).filter(
            status__in=list(WAITING), waiting_since__lte=now - after, reminded_at__isnull=True,
        ).order_by("waiting_since")[:batch])
        for application in due:
            level = REVIEW_STEPS[application.status][0]
            notify(notices.reviewers_of(application, level),
                   subject=_("Reminder: a maintenance fund application has waited since %(since)s: "
                             "%(project)s") % {"since": timezone.localtime(application.waiting_since)
                                               .strftime("%Y-%m-%d %H:%M"), "project": application.project},
                   target=application)
            count += 1
        FundApplication.objects.filter(pk__in=[a.pk for a in due]).update(reminded_at=now)
    return count


# --- corrections and closing -----------------------------------------------------------------------------------

# The kinds a reversal undoes completely: the fund's postings, whose only record besides the legs is the
# application's disbursed amount (unwound below). Bills, payments, relief and common-part items keep their own
# rows (FeeBill, FeePayment, FeeRelief, CommonItem), which a reversal of the legs alone would leave counted.
REVERSIBLE = frozenset({TransactionKind.DEPOSIT, TransactionKind.TOP_UP, TransactionKind.INTEREST,
                        TransactionKind.DISBURSEMENT})

@transaction.atomic
def transaction_reverse(*, actor, transaction_: Transaction, memo: str,
                        posted_on: datetime.date | None = None) -> Transaction:
    """Undoes a posted transaction by a linked reversal dated today (the original stays as it was). Only the
    fund's own postings are reversed here; fee and common-part postings carry records a reversal would leave."""
    # Locked first, so a second reversal of the same transaction waits and then finds the first.
    original = (Transaction.objects.select_for_update(of=("self",)).select_related("compound")
                .get(pk=transaction_.pk))
    transaction_policy.require(actor, "reverse", original)
    memo = _text(memo, "memo", _("Say why this transaction is reversed."))
    application = None
    if original.application_id:
        application = FundApplication.objects.select_for_update().get(pk=original.application_id)
    if original.kind == TransactionKind.REVERSAL:
        raise DomainError(_("A reversal is not reversed; post the transaction again instead."))
    if original.kind not in REVERSIBLE:
        raise DomainError(_("“%(kind)s” transactions cannot be reversed here: the fee bill, payment, relief or "
                            "common-part item they record would still count.") % {"kind": original.get_kind_display()})
    if Transaction.objects.filter(reverses=original).exists():
        raise DomainError(_("This transaction has been reversed already."))
    legs = reversal_legs(original)
    reversal = post(compound=original.compound, kind=TransactionKind.REVERSAL, posted_on=posted_on or _today(),
                    legs=legs, actor=actor, memo=memo, reverses=original, application=application)
    if application is not None and original.kind == TransactionKind.DISBURSEMENT:
        returned = sum((amount for account, amount in legs if account.kind == AccountKind.FUND_BANK), Decimal(0))
        application.disbursed -= returned
        if application.status == Status.PAID:
            application.status = Status.ACCEPTED
        application.save(update_fields=["disbursed", "status"])
    return reversal


@transaction.atomic
def period_close(*, actor, compound, year: int, month: int, today: datetime.date | None = None) -> Period:
    """Closes a month of the compound's books for good, once the month is over."""
    period, _created = Period.objects.get_or_create(compound=compound, year=year, month=month,
                                                    defaults={"district_id": compound.district_id})
    period = Period.objects.select_for_update().get(pk=period.pk)
    period_policy.require(actor, "close", period)
    if period.status == Period.Status.CLOSED:
        raise DomainError(_("This month is closed already."))
    if (today or _today()) < Period.day_after(year, month):
        raise DomainError(_("A month is closed once it is over."))
    period.status, period.closed_at, period.closed_by = Period.Status.CLOSED, timezone.now(), actor
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return period
