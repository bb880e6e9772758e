"""Reads of firms, contracts, menus and the zeroing of unmanaged compounds (清零)."""

from django.db.models import Count, Q, QuerySet

from communities.models import ManagementMode
from properties.models import Contract, ServiceMenuItem

PROFESSIONAL_MODES = (ManagementMode.PROFESSIONAL,)


def zeroing_figures(compounds: QuerySet, *, by: str | None = None, year: int | None = None) -> list[dict] | dict:
    """The live zeroing count over `compounds` (already scoped by the caller): unmanaged now, zeroed so far
    (and in `year`), professional coverage; grouped by a node column (`street_id`, `community_id`) when `by` is
    given. One query."""
    figures = {
        "compounds": Count("pk"),
        "unmanaged": Count("pk", filter=Q(management_mode=ManagementMode.UNMANAGED)),
        "professional": Count("pk", filter=Q(management_mode__in=PROFESSIONAL_MODES)),
        "zeroed": Count("fallback_assignment"),
    }
    if year is not None:
        figures["zeroed_in_year"] = Count("fallback_assignment", filter=Q(fallback_assignment__zeroed_on__year=year))
    if by is None:
        return compounds.aggregate(**figures)
    return list(compounds.values(by).annotate(**figures).order_by(by))


def active_contract(compound_id: int) -> Contract | None:
    """The compound's contract in force, with its firm (one by the database constraint)."""
    return Contract.objects.filter(compound_id=compound_id, status=Contract.Status.ACTIVE).select_related(
        "firm").first()


def menu_for(*, firm_id: int, compound_id: int) -> list[ServiceMenuItem]:
    """A firm's menu as offered in one compound: its firm-wide items and those for that compound, by group."""
    return list(ServiceMenuItem.objects.filter(Q(compound__isnull=True) | Q(compound_id=compound_id),
                                               firm_id=firm_id).order_by("group", "title"))

