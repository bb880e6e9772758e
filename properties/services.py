"""Writes for firms and contracts; an active contract is what lets a firm's staff reach a compound."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from communities.grants import sync_compound_grants
from core.errors import DomainError
from properties.models import Contract, Firm
from properties.policies import contract_policy, firm_policy
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
    previous_firm_id = None
    if contract.pk:
        previous_firm_id = Contract.objects.filter(pk=contract.pk).values_list("firm_id", flat=True).first()
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
