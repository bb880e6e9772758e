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
    """The fund of each of my households with its latest entries, and my compounds' fund applications."""
    households = sorted(r.household_id for r in scope_for(request.user).residencies)
    accounts = selectors.household_funds(request.user, households)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        raise Http404 from None
    for account in accounts:
        account.entries, account.has_older = selectors.account_entries(account, page=page)
    compound_ids = portal_selectors.own_compound_ids(request.user)
    fees = selectors.household_fees(request.user, households)
    for account in accounts:
        account.fees = fees.get(account.household_id)
    return render(request, "ledger/finance.html", {
        "accounts": accounts, "page": page,
        "applications": selectors.published_applications(request.user, compound_ids),
        "statements": selectors.compound_statements(request.user, compound_ids),
    })
