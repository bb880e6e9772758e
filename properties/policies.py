"""Who sees and changes firms and contracts: the district property management centre runs them."""

from django.db.models import Q

from communities.models import Role
from communities.policies import compound_policy
from communities.policy import Policy, node_ids
from communities.scope import Scope
from properties.models import Contract, Firm

FIRM_MANAGERS = frozenset({Role.DISTRICT_CENTER})


class FirmPolicy(Policy):
    """Firms are public in their district: every member of the district may know which firms work there."""

    model = Firm
    editor_roles = FIRM_MANAGERS

    def visible_q(self, scope: Scope):
        return scope.tenant_q()

    def place(self, obj):
        return {"district": obj.district_id, "firm": obj.pk}


class ContractPolicy(Policy):
    model = Contract
    editor_roles = FIRM_MANAGERS

    def visible_q(self, scope: Scope):
        q = Q(compound__in=_compounds(scope)) | Q(firm_id__in=scope.firms)
        return q & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound)


def _compounds(scope: Scope):
    return compound_policy.visible_pks(scope)


firm_policy = FirmPolicy()
contract_policy = ContractPolicy()
