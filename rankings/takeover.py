"""Exit and takeover: a firm leaves a compound (two strikes, the owners' decision, or a contract not renewed),
the handover checklist is ticked by both firms and the community, and the incoming firm's contract starts.

While the handover runs the compound has no active contract: new petitions are routed as for a compound without
a firm (to its committee, else the community office), and the outgoing firm's open petitions pass to the
community office, so that every petition always has a handler who can reach it."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Role
from communities.selectors import users_with_role
from core.errors import DomainError
from governance import selectors as governance_selectors
from notifications.services import notify
from petitions import handover as petition_handover
from properties import services as property_services
from properties.models import Contract, Firm
from rankings import notices
from rankings.models import ExitCase, HandoverItem
from rankings.policies import exit_policy, handover_policy

OPEN = (ExitCase.Status.OPEN, ExitCase.Status.HANDOVER)


def _lock(case: ExitCase) -> ExitCase:
    return ExitCase.objects.select_for_update().select_related("compound", "contract").get(pk=case.pk)


@transaction.atomic
def exit_open(*, actor, contract: Contract, reason: str) -> ExitCase:
    """Opens an exit by hand (the owners want another firm, or the contract is not renewed); the two-strike rule
    opens its own (rankings.services.two_strikes)."""
    compound = contract.compound
    case = ExitCase(district_id=contract.district_id, street_id=compound.street_id,
                    community_id=compound.community_id, compound=compound, contract=contract, firm=contract.firm,
                    reason=reason)
    exit_policy.require(actor, "add", case)
    if contract.status != Contract.Status.ACTIVE:
        raise DomainError(_("Only an active contract's firm exits."), field="contract")
    if ExitCase.objects.filter(contract=contract, status__in=OPEN).exists():
        raise DomainError(_("An exit of this contract is already open."), field="contract")
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def exit_decide(*, actor, case: ExitCase, decision: str, vote_id: int | None = None) -> ExitCase:
    """Records the decision to end the contract: a passed owners' vote of the compound (governance), or the
    street's fallback decision where the owners cannot decide."""
    case = _lock(case)
    exit_policy.require(actor, "change", case)
    if case.status != ExitCase.Status.OPEN or case.decision:
        raise DomainError(_("This exit is already decided."), field="decision")
    if decision == ExitCase.Decision.OWNERS_VOTE:
        if not vote_id or not governance_selectors.vote_passed(vote_id, compound_id=case.compound_id):
            raise DomainError(_("Choose a closed owners' vote of this compound that passed."), field="vote")
        case.vote_id = vote_id
    elif decision == ExitCase.Decision.STREET:
        if not exit_policy.can(actor, "decide_for_street", case):
            raise DomainError(_("The street's fallback decision is the street office's."), field="decision")
    else:
        raise DomainError(_("Choose how the exit was decided."), field="decision")
    case.decision, case.decided_at = decision, timezone.now()
    case.save(update_fields=["decision", "decided_at", "vote_id"])
    return case


@transaction.atomic
def handover_start(*, actor, case: ExitCase, incoming_firm: Firm, on: datetime.date | None = None) -> ExitCase:
    """Ends the outgoing contract early, passes the outgoing firm's open petitions to the community office and
    starts the handover to the incoming firm (chosen from rankings.selectors.firms_by_priority)."""
    case = _lock(case)
    exit_policy.require(actor, "change", case)
    if case.status != ExitCase.Status.OPEN or not case.decision:
        raise DomainError(_("The exit needs its decision before the handover."), field="decision")
    if incoming_firm.district_id != case.district_id or incoming_firm.pk == case.firm_id:
        raise DomainError(_("Choose another firm of the district."), field="incoming_firm")
    property_services.contract_end(contract=case.contract, early=True)
    petition_handover.petitions_hand_to_community(compound_id=case.compound_id, firm_id=case.firm_id, actor=actor)
    case.status, case.incoming_firm = ExitCase.Status.HANDOVER, incoming_firm
    case.handover_started_on = on or timezone.localdate()
    case.save(update_fields=["status", "incoming_firm", "handover_started_on"])
    recipients = (notices.compound_parties(case.compound) + users_with_role(Role.FIRM_STAFF, firm_id=case.firm_id)
                  + users_with_role(Role.FIRM_STAFF, firm_id=incoming_firm.pk))
    notify(recipients, subject=_("Handover of %(compound)s from %(old)s to %(new)s has started") % {
               "compound": case.compound.name, "old": case.firm.name, "new": incoming_firm.name},
           body=_("Until the new contract is active the community office handles the compound's petitions."),
           target=case)
    return case


@transaction.atomic
def handover_tick(*, actor, case: ExitCase, item: str, side: str, note: str = "") -> HandoverItem:
    """One side confirms one item of the checklist (keys, archives, premises, accounts, fees owed, equipment)."""
    case = _lock(case)
    exit_policy.require(actor, "view", case)  # 404 for an exit the user does not see; the side is checked below
    if case.status != ExitCase.Status.HANDOVER:
        raise DomainError(_("The handover is not under way."), field="case")
    if item not in HandoverItem.Item.values or side not in HandoverItem.Side.values:
        raise DomainError(_("Choose an item and a side of the checklist."), field="item")
    if not handover_policy.ticks_for(actor, case, side):
        raise DomainError(_("You do not tick for this side."), field="side")
    tick, _created = HandoverItem.objects.get_or_create(case=case, item=item, side=side,
                                                         defaults={"ticked_by": actor, "note": note[:300]})
    return tick


def handover_missing(case: ExitCase) -> list[tuple[str, str]]:
    ticked = set(HandoverItem.objects.filter(case=case).values_list("item", "side"))
    return [(i, s) for i in HandoverItem.Item.values for s in HandoverItem.Side.values if (i, s) not in ticked]


@transaction.atomic
def takeover_complete(*, actor, case: ExitCase, starts_on: datetime.date, ends_on: datetime.date | None,
                      counterpart: str | None = None) -> ExitCase:
    """Once every item is ticked by all three sides, the incoming firm's contract becomes active. Its
    counterpart is the street where the street decided the exit (it signs the new contract), else the owners'
    committee."""
    case = _lock(case)
    if counterpart is None:
        counterpart = (Contract.Counterpart.STREET if case.decision == ExitCase.Decision.STREET
                       else Contract.Counterpart.OWNERS_COMMITTEE)
    exit_policy.require(actor, "change", case)
    if case.status != ExitCase.Status.HANDOVER:
        raise DomainError(_("The handover is not under way."), field="case")
    missing = handover_missing(case)
    if missing:
        raise DomainError(_("%(count)s checklist ticks are missing.") % {"count": len(missing)}, field="items")
    contract = property_services.contract_save(actor=actor, contract=Contract(
        firm=case.incoming_firm, compound=case.compound, counterpart=counterpart, starts_on=starts_on,
        ends_on=ends_on, status=Contract.Status.ACTIVE))
    case.status, case.new_contract, case.completed_on = ExitCase.Status.DONE, contract, timezone.localdate()
    case.save(update_fields=["status", "new_contract", "completed_on"])
    return case


@transaction.atomic
def exit_drop(*, actor, case: ExitCase, reason: str) -> ExitCase:
    """Drops an exit that has not reached the handover (the owners keep the firm, the strike was wrongly
    counted …) with its reason; the firm stays under its contract. Those told of the opening (the owners'
    committee, the community and the street) and the firm are told; the move is kept in the case's history."""
    case = _lock(case)
    exit_policy.require(actor, "change", case)
    if case.status != ExitCase.Status.OPEN:
        raise DomainError(_("Only an exit awaiting its decision or its handover is dropped."), field="status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for dropping the exit."), field="reason")
    case.status, case.dropped_reason, case.dropped_at = ExitCase.Status.DROPPED, reason, timezone.now()
    case._change_reason = reason[:100]  # django-simple-history keeps it with the status move
    case.save(update_fields=["status", "dropped_reason", "dropped_at"])
    notify(notices.compound_parties(case.compound) + users_with_role(Role.FIRM_STAFF, firm_id=case.firm_id),
           subject=_("The exit of %(firm)s from %(compound)s was dropped") % {
               "firm": case.firm.name, "compound": case.compound.name},
           body=reason, target=case)
    return case
