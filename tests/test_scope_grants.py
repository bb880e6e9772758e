"""Compound grants in the scope statement (communities/scope.py): the permission is the compound's
`access_compound`, read by its natural key (content type and codename), granted to the user or to one of their
groups; a permission of another model that shares the codename grants nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from communities.models import (
    Compound,
    CompoundGroupObjectPermission,
    CompoundUserObjectPermission,
    RoleAssignment,
)
from communities.scope import COMPOUND_PERMISSION, forget_scope, scope_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger_compound(users):
    mine = scope_for(users["commissioner"]).granted_compounds
    district = RoleAssignment.objects.filter(user=users["commissioner"]).values_list("district_id", flat=True)[0]
    return Compound.objects.filter(district_id=district).exclude(pk__in=mine).order_by("pk").first()


def _granted(user) -> frozenset:
    forget_scope(user)
    return scope_for(user).granted_compounds


def test_the_compound_permission_granted_to_the_user_widens_the_scope(users, stranger_compound):
    user = users["commissioner"]
    before = _granted(user)
    permission = Permission.objects.get(codename=COMPOUND_PERMISSION,
                                        content_type=ContentType.objects.get_for_model(Compound))
    CompoundUserObjectPermission.objects.create(user=user, permission=permission, content_object=stranger_compound)
    assert _granted(user) == before | {stranger_compound.pk}


def test_the_compound_permission_granted_to_a_group_widens_the_scope(users, stranger_compound):
    user = users["commissioner"]
    before = _granted(user)
    group = Group.objects.create(name="holders")
    user.groups.add(group)
    permission = Permission.objects.get(codename=COMPOUND_PERMISSION,
                                        content_type=ContentType.objects.get_for_model(Compound))
    CompoundGroupObjectPermission.objects.create(group=group, permission=permission, content_object=stranger_compound)
    assert _granted(user) == before | {stranger_compound.pk}


def test_a_permission_of_another_model_sharing_the_codename_grants_nothing(users, stranger_compound):
    """Guardian refuses such a row when saved; written in bulk (as an import or raw SQL could), it still grants
    nothing, to the user or to their group."""
    from communities.models import Building

    user = users["commissioner"]
    before = _granted(user)
    lookalike = Permission.objects.create(codename=COMPOUND_PERMISSION, name="look-alike",
                                          content_type=ContentType.objects.get_for_model(Building))
    group = Group.objects.create(name="look-alike holders")
    user.groups.add(group)
    CompoundUserObjectPermission.objects.bulk_create([
        CompoundUserObjectPermission(user=user, permission=lookalike, content_object=stranger_compound)])
    CompoundGroupObjectPermission.objects.bulk_create([
        CompoundGroupObjectPermission(group=group, permission=lookalike, content_object=stranger_compound)])
    assert stranger_compound.pk not in before
    assert _granted(user) == before
