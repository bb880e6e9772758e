"""The node a dashboards page is about, for the figures' pages and the strength index's alike: one loader that
answers 404 for an unknown node and for one the user does not reach (each page says who reaches what), and the
user's own node for the pages' home."""

from django.http import Http404

from communities.models import District
from communities.policy import highest_assignment, node_at


def node_or_404(user, level: str, pk: int, *, reaches):
    """The node of `level` with id `pk` if `reaches(user, node)`; 404 for unknown and unreached alike."""
    node = node_at(level, pk)
    if node is None or not reaches(user, node):
        raise Http404
    return node


def home_node(scope, roles) -> tuple[str, int] | None:
    """(level, id) of the user's own node among `roles`: the highest it holds; a superuser's is the first
    district. None when it holds none."""
    held = highest_assignment(scope, roles)
    if held is not None:
        return held.scope_field, getattr(held, f"{held.scope_field}_id")
    if scope.is_superuser:
        first = District.objects.order_by("pk").values_list("pk", flat=True).first()
        return ("district", first) if first is not None else None
    return None
