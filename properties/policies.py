"""Who sees and changes firms and contracts: the district property management centre runs them."""

from django.db.models import Q

from communities.models import Role
from communities.policies import compound_policy
from communities.policy import Policy, node_ids
from communities.scope import Scope, scope_for
from properties.models import Contract, ContractDocument, FallbackAssignment, Firm, ServiceMenuItem

FIRM_MANAGERS = frozenset({Role.DISTRICT_CENTER})
# The street signs the contracts of the compounds it zeroes or whose takeover it decides (counterpart: street).
STREET_SIGNERS = frozenset({Role.STREET_OFFICE})
# The street runs the zeroing of its unmanaged compounds; the district centre may act for it.
FALLBACK_ASSIGNERS = frozenset({Role.STREET_OFFICE, Role.DISTRICT_CENTER})


class FirmPolicy(Policy):
    """Firms are public in their district: every member of the district may know which firms work there."""

    model = Firm
    editor_roles = FIRM_MANAGERS

    def visible_q(self, scope: Scope):
        return scope.tenant_q()

    def place(self, obj):
        return {"district": obj.district_id, "firm": obj.pk}


class ContractPolicy(Policy):
    """The district centre manages every contract of its district; a street office the contracts the street
    signs itself (counterpart: the street, for a fallback firm or a takeover it decided) for compounds of its
    street. Both are reached through the compound's place, so the street office's assignment is matched at the
    street level of the compound, never at the district's."""

    model = Contract
    editor_roles = FIRM_MANAGERS | STREET_SIGNERS

    def visible_q(self, scope: Scope):
        q = Q(compound__in=_compounds(scope)) | Q(firm_id__in=scope.firms)
        return q & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound)

    def can(self, user, action: str, obj=None) -> bool:
        if action != "view" and obj is not None and obj.counterpart != Contract.Counterpart.STREET:
            scope = scope_for(user)
            if not scope.is_superuser:
                return bool(scope.reaching(self.place(obj), roles=FIRM_MANAGERS))
        return super().can(user, action, obj)


class ContractDocumentPolicy(Policy):
    """A contract's files go with the contract: seen by whoever sees it, added by those who manage it."""

    model = ContractDocument
    editor_roles = FIRM_MANAGERS

    def visible_q(self, scope: Scope):
        return Q(contract__in=contract_policy.visible_pks(scope))

    def place(self, obj):
        return node_ids(obj.contract.compound)


class ServiceMenuItemPolicy(Policy):
    """Service menus are public in their district (residents compare them); the firm keeps its own menu and the
    district centre may correct it."""

    model = ServiceMenuItem
    editor_roles = frozenset({Role.FIRM_STAFF, Role.DISTRICT_CENTER})

    def visible_q(self, scope: Scope):
        return scope.tenant_q()

    def place(self, obj):
        return {"district": obj.district_id, "firm": obj.firm_id}


class FallbackAssignmentPolicy(Policy):
    model = FallbackAssignment
    editor_roles = FALLBACK_ASSIGNERS

    def visible_q(self, scope: Scope):
        return scope.subtree_q() & scope.tenant_q()


def _compounds(scope: Scope):
    return compound_policy.visible_pks(scope)


firm_policy = FirmPolicy()
contract_policy = ContractPolicy()
contract_document_policy = ContractDocumentPolicy()
menu_item_policy = ServiceMenuItemPolicy()
fallback_policy = FallbackAssignmentPolicy()
