"""Reads of firms, contracts, menus and the zeroing of unmanaged compounds (清零). "The compound's active firm" is
defined here once: the firm of the compound's active contract (a partial unique constraint allows one). Every app
that needs it asks here."""

from django.db.models import Count, Q, QuerySet

from communities.models import ManagementMode
from properties.models import Contract, Firm, ServiceMenuItem


def active_contracts() -> QuerySet:
    return Contract.objects.filter(status=Contract.Status.ACTIVE)


def active_firm(compound) -> Firm | None:
    """The firm serving the compound (an instance or an id) under an active contract, or None."""
    contract = active_contracts().filter(compound=compound).select_related("firm").order_by("pk").first()
    return contract.firm if contract else None


def active_firm_id(compound) -> int | None:
    return active_contracts().filter(compound=compound).order_by("pk").values_list("firm_id", flat=True).first()


def firm_serves(firm, **place) -> bool:
    """Whether the firm serves, under an active contract, a compound of the place given as compound=…,
    compound_id=…, or a lookup on the compound such as compound__community_id=…"""
    return active_contracts().filter(firm=firm, **place).exists()


def served_compound_ids(firm) -> set[int]:
    return set(active_contracts().filter(firm=firm).values_list("compound_id", flat=True))


PROFESSIONAL_MODES = (ManagementMode.PROFESSIONAL,)
# Who handles a compound's petitions by its management mode (petitions' routing asks here). The firm under the
# compound's active contract: a professional firm the owners chose, or the fallback firm the street assigned
# (清零), whose contract is with the street.
FIRM_HANDLED_MODES = (ManagementMode.PROFESSIONAL, ManagementMode.GOVERNMENT_FALLBACK)
# Custody: the custodian handles. A residents' committee (居委会托管) is the community office's own committee; a
# social organization or a public-welfare entity has no login of its own, so the community office that oversees
# its custody handles for it (FallbackAssignment.custodian names it on the record).
CUSTODY_MODES = (ManagementMode.COMMITTEE_CUSTODY, ManagementMode.SOCIAL_ORG_CUSTODY, ManagementMode.PUBLIC_WELFARE)


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
    return active_contracts().filter(compound_id=compound_id).select_related("firm").order_by("pk").first()


def menu_for(*, firm_id: int, compound_id: int) -> list[ServiceMenuItem]:
    """A firm's menu as offered in one compound: its firm-wide items and those for that compound, by group."""
    return list(ServiceMenuItem.objects.filter(Q(compound__isnull=True) | Q(compound_id=compound_id),
                                               firm_id=firm_id).order_by("group", "title"))
