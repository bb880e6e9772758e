"""The guardian compound grants (`communities.access_compound`) of a user or a group, synced to what they should
reach: one function for the commissioner's and committee member's roles (a user) and for a firm's active
contracts (the firm's group)."""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

from communities.models import Compound, CompoundGroupObjectPermission, CompoundUserObjectPermission
from communities.scope import COMPOUND_PERMISSION

PERMISSION = f"communities.{COMPOUND_PERMISSION}"


def sync_compound_grants(holder, wanted: set[int]) -> None:
    """Makes the compound grants held by `holder` (a user or a group) equal to the compounds `wanted`."""
    if isinstance(holder, Group):
        held = CompoundGroupObjectPermission.objects.filter(group=holder)
    else:
        held = CompoundUserObjectPermission.objects.filter(user=holder)
    held = set(held.filter(permission__codename=COMPOUND_PERMISSION).values_list("content_object_id", flat=True))
    for compound in Compound.objects.filter(pk__in=wanted - held):
        assign_perm(PERMISSION, holder, compound)
    for compound in Compound.objects.filter(pk__in=held - wanted):
        remove_perm(PERMISSION, holder, compound)
