"""Reads of firms and contracts. "The compound's active firm" is defined here once: the firm of the compound's
active contract (a partial unique constraint allows one). Every app that needs it asks here."""

from django.db.models import QuerySet

from properties.models import Contract, Firm


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
