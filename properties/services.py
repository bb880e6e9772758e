"""Writes for firms and contracts; an active contract is what lets a firm's staff reach a compound."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.grants import sync_compound_grants
from communities.models import Compound, ManagementMode, Role, RoleAssignment
from core.errors import DomainError
from notifications.services import notify
from properties.documents import validate_document
from properties.models import (
    Contract,
    ContractDocument,
    ContractReminder,
    FallbackAssignment,
    Firm,
    ServiceMenuItem,
)
from properties.policies import (
    contract_document_policy,
    contract_policy,
    fallback_policy,
    firm_policy,
    menu_item_policy,
)
from properties.selectors import served_compound_ids


def sync_firm_grants(firm: Firm) -> None:
    """Makes the firm group's guardian compound grants equal to its active contracts."""
    sync_compound_grants(firm.group, served_compound_ids(firm))


@transaction.atomic
def firm_save(*, actor, firm: Firm) -> Firm:
    """Creates or updates a firm; a new firm gets the group its staff will belong to."""
    firm_policy.require(actor, "change" if firm.pk else "add", firm if firm.pk else None)
    if not firm.pk and not firm_policy.can(actor, "change", firm):
        raise DomainError(_("You may not register a firm in this district."), field="district")
    if not firm.group_id:
        firm.group = Group.objects.create(name=f"firm:{firm.district_id}:{firm.name}"[:150])
    firm.full_clean(exclude=["group"])
    firm.save()
    return firm


@transaction.atomic
def contract_save(*, actor, contract: Contract) -> Contract:
    """Saves a contract and brings the firm's reach in line with its active contracts."""
    contract.district_id = contract.compound.district_id
    if contract.firm.district_id != contract.district_id:
        raise DomainError(_("The firm and the compound must be in the same district."), field="firm")
    if not contract_policy.can(actor, "change", contract):
        raise DomainError(_("You may not manage contracts of this compound."), field="compound")
    previous_firm_id, previous_status = None, None
    if contract.pk:
        previous_firm_id, previous_status = Contract.objects.filter(pk=contract.pk).values_list(
            "firm_id", "status").first() or (None, None)
    if previous_status and previous_status != contract.status \
            and contract.status not in STATUS_MOVES.get(previous_status, ()):
        raise DomainError(_("A contract cannot move from %(old)s to %(new)s.") % {
            "old": Contract.Status(previous_status).label, "new": Contract.Status(contract.status).label,
        }, field="status")
    if contract.status == Contract.Status.ACTIVE:
        clash = Contract.objects.filter(compound=contract.compound, status=Contract.Status.ACTIVE).exclude(
            pk=contract.pk
        )
        if clash.exists():
            raise DomainError(_("This compound already has an active contract."), field="status")
    contract.full_clean()
    contract.save()
    sync_firm_grants(contract.firm)
    if previous_firm_id and previous_firm_id != contract.firm_id:
        sync_firm_grants(Firm.objects.get(pk=previous_firm_id))
    return contract


# A contract's status moves one way: a draft is signed (active) or dropped; an active contract ends, on its date or
# early (the exit workflow). An ended contract is history; a renewal is a new contract.
STATUS_MOVES = {
    Contract.Status.DRAFT: (Contract.Status.ACTIVE, Contract.Status.ENDED),
    Contract.Status.ACTIVE: (Contract.Status.ENDED, Contract.Status.ENDED_EARLY),
}


@transaction.atomic
def contract_end(*, contract: Contract, early: bool) -> Contract:
    """Ends an active contract (on its date, or early by an exit decision); the firm's staff lose the compound.
    Called by the services that decide it (rankings' exit workflow), which check the actor."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != Contract.Status.ACTIVE:
        raise DomainError(_("Only an active contract can be ended."), field="status")
    contract.status = Contract.Status.ENDED_EARLY if early else Contract.Status.ENDED
    contract.save(update_fields=["status"])
    sync_firm_grants(contract.firm)
    return contract


def contracts_flag_may_end_early(contract_ids, *, at=None) -> list[int]:
    """Marks the contracts as "may be ended early" (the red/black list's two-strike rule); returns the ids newly
    flagged, so that a repeated run notifies nobody twice."""
    at = at or timezone.now()
    flagged = list(Contract.objects.filter(pk__in=list(contract_ids), may_end_early_since__isnull=True,
                                           status=Contract.Status.ACTIVE).values_list("pk", flat=True))
    Contract.objects.filter(pk__in=flagged).update(may_end_early_since=at)
    return flagged


@transaction.atomic
def contract_document_add(*, actor, contract: Contract, title: str, upload) -> ContractDocument:
    """Attaches a checked file to a contract."""
    contract_document_policy.require(actor, "add", ContractDocument(contract=contract))
    content_type = validate_document(upload)
    document = ContractDocument(contract=contract, title=title, file=upload, content_type=content_type,
                                size=upload.size, uploaded_by=actor)
    document.full_clean(exclude=["uploaded_by"])
    document.save()
    return document


@transaction.atomic
def menu_item_save(*, actor, item: ServiceMenuItem) -> ServiceMenuItem:
    """Saves a commitment of a firm's service menu; one for a single compound needs the firm to serve it."""
    item.district_id = item.firm.district_id
    menu_item_policy.require(actor, "change" if item.pk else "add", item)
    if item.compound_id and not Contract.objects.filter(
        firm_id=item.firm_id, compound_id=item.compound_id, status=Contract.Status.ACTIVE
    ).exists():
        raise DomainError(_("The firm does not serve this compound under an active contract."), field="compound")
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def fallback_assign(*, actor, compound: Compound, mode: str, startup_money: Decimal, firm: Firm | None = None,
                    custodian: str = "", zeroed_on: datetime.date | None = None, note: str = "",
                    contract_ends_on: datetime.date | None = None) -> FallbackAssignment:
    """The street zeroes an unmanaged compound (清零): a fallback firm under a contract with the street, or a
    custodian; the start-up money is recorded and the compound's management mode changes."""
    compound = Compound.objects.select_for_update().get(pk=compound.pk)
    zeroed_on = zeroed_on or timezone.localdate()
    assignment = FallbackAssignment(
        district_id=compound.district_id, street_id=compound.street_id, community_id=compound.community_id,
        compound=compound, mode=mode, firm=firm, custodian=custodian.strip(), startup_money=startup_money,
        zeroed_on=zeroed_on, assigned_by=actor, note=note,
    )
    fallback_policy.require(actor, "add", assignment)
    fallback_check(assignment)
    assignment.full_clean(exclude=["assigned_by", "compound"])
    assignment.save()
    compound.management_mode = mode
    compound.save(update_fields=["management_mode"])
    if firm is not None:
        contract = Contract.objects.create(
            district_id=compound.district_id, firm=firm, compound=compound, counterpart=Contract.Counterpart.STREET,
            starts_on=zeroed_on, ends_on=contract_ends_on, status=Contract.Status.ACTIVE,
        )
        contract.full_clean()
        sync_firm_grants(firm)
    return assignment


def fallback_check(assignment: FallbackAssignment) -> None:
    """The zeroing's rules over an assignment as filled in (the service's, and the admin form's field errors): an
    unmanaged compound; a fallback firm of the district and no custodian, or a custodian and no firm."""
    compound, firm = assignment.compound, assignment.firm
    if compound.management_mode != ManagementMode.UNMANAGED:
        raise DomainError(_("Only an unmanaged compound is zeroed."), field="compound")
    if assignment.mode == ManagementMode.GOVERNMENT_FALLBACK:
        if firm is None or firm.district_id != compound.district_id or not firm.is_fallback:
            raise DomainError(_("Choose one of the district's fallback firms."), field="firm")
        if assignment.custodian.strip():
            raise DomainError(_("A fallback firm needs no custodian."), field="custodian")
    elif firm is not None:
        raise DomainError(_("A custody has a custodian, not a firm."), field="firm")
    elif not assignment.custodian.strip():
        raise DomainError(_("Name the custodian."), field="custodian")


REMINDER_KINDS = (ContractReminder.Kind.DAYS_30, ContractReminder.Kind.DAYS_90)  # nearest first


def contracts_remind_expiring(*, today: datetime.date | None = None) -> int:
    """Reminds the owners' committee and the community office of active contracts ending within 90 and 30 days,
    each reminder once per term end (a database constraint), so the daily run may repeat, overlap or be missed
    without harm; a contract found already within 30 days gets the 30-day reminder only. Returns the reminders
    sent."""
    today = today or timezone.localdate()
    rows = Contract.objects.filter(
        status=Contract.Status.ACTIVE, ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=90),
    ).values_list("pk", "ends_on", "compound_id", "compound__community_id", "compound__name", "firm__name")
    sent = []
    for pk, ends_on, compound_id, community_id, compound_name, firm_name in rows:
        kind = next(k for k in REMINDER_KINDS if (ends_on - today).days <= k)
        if kind == ContractReminder.Kind.DAYS_90 and ContractReminder.objects.filter(
                contract_id=pk, ends_on=ends_on, kind=ContractReminder.Kind.DAYS_30).exists():
            continue
        try:  # the constraint decides, so two runs at once send each reminder once
            with transaction.atomic():
                ContractReminder.objects.create(contract_id=pk, ends_on=ends_on, kind=kind)
        except IntegrityError:
            continue
        sent.append((pk, ends_on, kind, compound_id, community_id, compound_name, firm_name))
    _send_contract_reminders(sent)
    return len(sent)


def _send_contract_reminders(sent) -> None:
    if not sent:
        return
    recipients = defaultdict(set)
    for role, compound_id, community_id, user_id in RoleAssignment.objects.filter(
        Q(role=Role.COMMITTEE_MEMBER, compound_id__in={s[3] for s in sent})
        | Q(role=Role.COMMUNITY_OFFICE, community_id__in={s[4] for s in sent}),
        user__is_active=True,
    ).values_list("role", "compound_id", "community_id", "user_id"):
        recipients[("compound", compound_id) if role == Role.COMMITTEE_MEMBER else ("community", community_id)].add(
            user_id)
    for pk, ends_on, kind, compound_id, community_id, compound_name, firm_name in sent:
        notify(
            sorted(recipients[("compound", compound_id)] | recipients[("community", community_id)]),
            subject=_("The property contract of %(compound)s ends on %(date)s") % {
                "compound": compound_name, "date": ends_on.isoformat()},
            body=_("%(firm)s: the contract %(kind)s. Prepare the renewal or a new selection.") % {
                "firm": firm_name, "kind": ContractReminder.Kind(kind).label},
            target=Contract(pk=pk),
        )
