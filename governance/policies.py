"""Who sees and changes party organizations and compound bodies."""

from django.db.models import Q

from communities.models import Compound, Role
from communities.policies import compound_policy
from communities.policy import Policy, node_ids
from governance.models import Body, BodyMember, PartyOrganization

BODY_EDITORS = frozenset({Role.DISTRICT_ORG, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE})


def _visible_compounds(scope):
    return Compound.objects.filter(compound_policy.visible_q(scope)).values("pk")


class PartyOrganizationPolicy(Policy):
    model = PartyOrganization
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        from communities.policies import community_policy

        communities = community_policy.model.objects.filter(community_policy.visible_q(scope)).values("pk")
        # A compound's branch is seen where the compound is; a community's committee where the community is.
        return (
            Q(compound__isnull=True, community_id__in=communities) | Q(compound_id__in=_visible_compounds(scope))
        ) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound if obj.compound_id else obj.community)


class BodyPolicy(Policy):
    model = Body
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return Q(compound_id__in=_visible_compounds(scope)) & scope.tenant_q()

    def place(self, obj):
        return node_ids(obj.compound)


class BodyMemberPolicy(Policy):
    model = BodyMember
    editor_roles = BODY_EDITORS

    def visible_q(self, scope):
        return Q(body__compound_id__in=_visible_compounds(scope)) & Q(body__district_id__in=scope.tenants)

    def place(self, obj):
        return node_ids(obj.body.compound)


party_organization_policy = PartyOrganizationPolicy()
body_policy = BodyPolicy()
body_member_policy = BodyMemberPolicy()
