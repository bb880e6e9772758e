"""Who sees and sets the strength index: the offices over a compound see its index (and the compound's own
commissioner and committee members theirs); the district organization department sets its district's weights
and computes the index on demand."""

from django.db.models import Q

from communities.models import Compound, District, Role
from communities.policies import OFFICE_ROLES
from communities.policy import Policy, node_ids
from communities.scope import Scope, scope_for
from dashboards import nodes
from dashboards.models import StrengthScore, StrengthWeight


class StrengthWeightPolicy(Policy):
    model = StrengthWeight
    editor_roles = frozenset({Role.DISTRICT_ORG})

    def visible_q(self, scope: Scope):
        return Q(district_id__in=scope.districts) & scope.tenant_q()


class StrengthScorePolicy(Policy):
    model = StrengthScore

    def visible_q(self, scope: Scope):
        return (scope.offices_q() | Q(compound_id__in=scope.personal_compounds)) & scope.tenant_q()


strength_weight_policy = StrengthWeightPolicy()
strength_score_policy = StrengthScorePolicy()


def reads_index(scope: Scope) -> bool:
    """Whether the user reads the index at all (its pages and its indicators' definitions, in the pages and the
    API alike): an office, or a compound's commissioner or committee member."""
    return scope.is_superuser or scope.has_role(*OFFICE_ROLES, Role.COMMISSIONER, Role.COMMITTEE_MEMBER)


def reaches_node(user, node) -> bool:
    """Whether the user's index reaches a node (district, street, community or compound) by the same rule as
    StrengthScorePolicy: an office over it, or the compound's own personal grant."""
    scope = scope_for(user)
    if scope.is_superuser:
        return True
    district_id = node.pk if isinstance(node, District) else node.district_id
    if district_id not in scope.tenants:
        return False
    if isinstance(node, Compound) and node.pk in scope.personal_compounds:
        return True
    return bool(scope.reaching(node_ids(node), roles=OFFICE_ROLES))


def node_or_404(user, level: str, pk: int):
    """The node of `level` with id `pk` if the user's index reaches it; 404 for unknown and unreached alike."""
    return nodes.node_or_404(user, level, pk, reaches=reaches_node)
