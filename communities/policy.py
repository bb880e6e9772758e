"""The shape of every model's policy: `visible(user)` and `can(user, action, obj)`, asked by the API, the
admin, the portal and form choices alike (docs/adr/0001-tenancy-and-scope.md)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from communities.models import Community, Compound, District, Street
from communities.scope import Scope, scope_for

ACTIONS = ("view", "add", "change", "delete")
# The nodes a page or a figure is about, by the level named in its URL.
NODE_MODELS = {"district": District, "street": Street, "community": Community, "compound": Compound}
# Levels from the top: a user's "own" node is the highest it holds.
NODE_LEVELS = ("district", "street", "community", "compound")


def node_at(level: str, pk: int):
    """The node of `level` (district, street, community, compound) with id `pk`, or None for an unknown level or
    id: one query, the district's boundary left unread (communities.models.District)."""
    model = NODE_MODELS.get(level)
    return model.objects.filter(pk=pk).first() if model is not None else None


def highest_assignment(scope: Scope, roles):
    """The user's assignment among `roles` placed highest (district, street, community, compound; the earliest
    of a level first), or None."""
    held = [a for a in scope.assignments if a.role in roles]
    return min(held, key=lambda a: (NODE_LEVELS.index(a.scope_field), a.pk), default=None)


def node_ids(obj) -> dict:
    """The ids of `obj`'s place in the hierarchy: {"district": …, "street": …, …} for any node or object that
    carries ancestor columns."""
    level = getattr(obj, "level", None)
    ids = {}
    for name in ("district", "street", "community", "compound", "building"):
        value = getattr(obj, f"{name}_id", None)
        if value is not None:
            ids[name] = value
    if level:
        ids[str(level)] = obj.pk
    return ids


class Policy:
    """Base policy: staff with one of `editor_roles` change objects inside the subtree of that role's node."""

    model: type[Model]
    editor_roles: frozenset = frozenset()

    def visible(self, user) -> QuerySet:
        scope = scope_for(user)
        if scope.is_superuser:
            return self.model._default_manager.all()
        if scope.user_id is None:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(self.visible_q(scope))

    def visible_q(self, scope: Scope):
        raise NotImplementedError

    def visible_pks(self, scope: Scope) -> QuerySet:
        """The ids of the rows the scope sees, as a subquery for other policies' filters."""
        return self.model._default_manager.filter(self.visible_q(scope)).values("pk")

    def place(self, obj) -> dict:
        """Where an object sits, as node ids; models outside the hierarchy override this."""
        return node_ids(obj)

    def editing_assignments(self, scope: Scope, action: str):
        return [a for a in scope.assignments if a.role in self.editor_roles]

    def can(self, user, action: str, obj=None) -> bool:
        scope = scope_for(user)
        if scope.is_superuser:
            return True
        if scope.user_id is None:
            return False
        if action == "view":
            return obj is None or self.visible(user).filter(pk=obj.pk).exists()
        assignments = self.editing_assignments(scope, action)
        if obj is None:
            return bool(assignments)
        place = self.place(obj)
        return bool(scope.reaching(place, among=assignments))

    def get_visible(self, user, **lookup):
        """The object if the user may see it; 404 for unknown and invisible alike."""
        try:
            return self.visible(user).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def require(self, user, action: str, obj=None) -> None:
        """Refuses with 404 what the user cannot see and 403 what they see but may not do."""
        if obj is not None and obj.pk is not None and not self.can(user, "view", obj):
            raise Http404
        if not self.can(user, action, obj):
            raise PermissionDenied(_("You may not do this here."))
