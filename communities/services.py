"""Every write to roles, people and personal data goes through these functions."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from communities.grants import sync_compound_grants
from communities.models import (
    ROLE_SCOPE_FIELD,
    Person,
    PersonalDataAccess,
    Role,
    RoleAssignment,
)
from communities.policies import person_policy, role_assignment_policy
from communities.scope import forget_scope
from core.errors import DomainError
from core.tokens import forget_user_tokens, revoke_tokens

User = get_user_model()
COMPOUND_ROLES = (Role.COMMISSIONER, Role.COMMITTEE_MEMBER)
STAFF_ROLES = frozenset(ROLE_SCOPE_FIELD)


def sync_user_compound_grants(user) -> None:
    """Makes the user's guardian compound grants equal to their commissioner and committee roles."""
    sync_compound_grants(user, set(
        RoleAssignment.objects.filter(user=user, role__in=COMPOUND_ROLES).values_list("compound_id", flat=True)
    ))
    forget_scope(user)


def sync_user_firm_groups(user) -> None:
    """Makes the user a member of exactly the groups of the firms they hold `firm_staff` at."""
    wanted = set(
        RoleAssignment.objects.filter(user=user, role=Role.FIRM_STAFF).values_list("firm__group_id", flat=True)
    )
    firm_groups = user.groups.filter(firm__isnull=False)  # the groups that belong to a firm
    for group in firm_groups.exclude(pk__in=wanted):
        user.groups.remove(group)
    user.groups.add(*wanted)
    forget_scope(user)


def _sync_access(user) -> None:
    sync_user_compound_grants(user)
    sync_user_firm_groups(user)
    has_staff_role = RoleAssignment.objects.filter(user=user).exists()
    # Staff roles open the admin; a user left with none loses it.
    if User.objects.filter(pk=user.pk, is_superuser=False).exclude(is_staff=has_staff_role).update(
            is_staff=has_staff_role):
        forget_user_tokens(user)  # an update sends no post_save: the cached token would keep the old flag
    user.is_staff = has_staff_role or user.is_superuser


def _check_tenant(user, district_id: int) -> None:
    other = RoleAssignment.objects.filter(user=user).exclude(district_id=district_id).exists()
    person = Person.objects.filter(user=user).exclude(district_id=district_id).exists()
    if other or person:
        raise DomainError(_("A user belongs to one district only."), field="user")


@transaction.atomic
def role_grant(*, actor, user, role: str, node) -> RoleAssignment:
    """Gives `user` the `role` at `node` (a street, community, compound, firm, department or district)."""
    if role not in STAFF_ROLES:
        raise DomainError(_("Unknown role."), field="role")
    field = ROLE_SCOPE_FIELD[Role(role)]
    where = {field: node}
    if field != "district":
        where["district_id"] = node.district_id
    district_id = node.pk if field == "district" else node.district_id
    assignment = RoleAssignment(user=user, role=role, **where)
    role_assignment_policy.require(actor, "add", None)
    if not role_assignment_policy.can(actor, "change", assignment):
        raise DomainError(_("You may not grant this role at this place."), field="role")
    _check_tenant(user, district_id)
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, **where)
    _sync_access(User.objects.select_for_update().get(pk=user.pk))
    forget_scope(user)
    return assignment


@transaction.atomic
def role_saved(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Saves an assignment edited in the admin and brings the user's grants in line with it."""
    if not role_assignment_policy.can(actor, "change", assignment):
        raise DomainError(_("You may not grant this role at this place."), field="role")
    node = assignment.scope_node
    assignment.district_id = node.pk if assignment.scope_field == "district" else node.district_id
    _check_tenant(assignment.user, assignment.district_id)
    assignment.full_clean()
    assignment.save()
    _sync_access(assignment.user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    role_assignment_policy.require(actor, "delete", assignment)
    user = assignment.user
    assignment.delete()
    _sync_access(user)
    revoke_tokens(user)  # a client holding the user's token must log in again, under the roles left


@transaction.atomic
def person_reveal(*, actor, person: Person, field: str, reason: str = "", granted_by=None) -> str:
    """Returns the whole phone or ID number and logs who saw which field of whose record (never the value).

    `granted_by`, when given, is another policy's answer (a callable of actor, person and field) that grants this
    reveal for the work at hand — the handler of a petition calling its reporter back (petitions.services) —
    when the person's own policy does not; the reveal is logged here all the same."""
    if field not in ("phone", "id_card_number"):
        raise DomainError(_("Only the phone and the ID card number can be revealed."), field="field")
    if not (granted_by is not None and granted_by(actor, person, field)):
        person_policy.require(actor, "view", person)
        if not person_policy.can(actor, "reveal", person):
            raise PermissionDenied(_("You may not see this person's whole number."))
    _log_reveal(actor=actor, district_id=person.district_id, person=person, field=field, reason=reason)
    return getattr(person, field)


def number_reveal(*, actor, number: str, district_id: int, record: str, field: str = "phone", reason: str = "") -> str:
    """Returns a whole number kept outside any person's record (a hotline caller's phone on a petition) and logs
    the reveal under `record`. The caller has asked its own policy first: this only keeps the log."""
    _log_reveal(actor=actor, district_id=district_id, record=record, field=field, reason=reason)
    return number


def _log_reveal(*, actor, district_id, field, reason, person=None, record="") -> None:
    PersonalDataAccess.objects.create(actor=actor, district_id=district_id, person=person, record=record[:100],
                                      field=field, reason=reason[:200])
