"""Residents' finance pages (财务查询): their household's maintenance fund and its history, the top-ups owed, their
fee bills and payments, the compound's monthly common-part statements and its fund applications with their
review trail. Read-only, scoped by the ledger's policies."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from communities.scope import scope_for
from ledger import selectors
from portal import selectors as portal_selectors


@login_required
def finance(request):
    """Each of my households with its fund (if one is kept) and latest entries and its property fees, and my
    compounds' statements and fund applications."""
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        raise Http404 from None
    households = [r.household_id for r in scope_for(request.user).residencies]
    compound_ids = portal_selectors.own_compound_ids(request.user)
    return render(request, "ledger/finance.html", {
        "households": selectors.household_finances(request.user, households, page=page), "page": page,
        "applications": selectors.published_applications(request.user, compound_ids),
        "statements": selectors.compound_statements(request.user, compound_ids),
    })
