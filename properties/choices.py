"""How firms are offered wherever one is chosen (a new contract, a renewal, a takeover). The ratings sit above
this app: when installed, rankings registers its priority order here (five-star and red-listed firms first, in
its AppConfig.ready), and every chooser asks `ordered_firms`; without it firms come by name."""

from collections.abc import Callable

from django.db.models import QuerySet

_ordering: list[Callable[[QuerySet], QuerySet]] = []


def register_firm_ordering(order: Callable[[QuerySet], QuerySet]) -> None:
    _ordering[:] = [order]


def ordered_firms(firms: QuerySet) -> QuerySet:
    return _ordering[0](firms) if _ordering else firms.order_by("name")


def firm_label(firm) -> str:
    """The firm's name with its stars, where the ordering gave them."""
    stars = getattr(firm, "star_rating", 0) or 0
    return f"{firm.name} {'★' * stars}".rstrip()
