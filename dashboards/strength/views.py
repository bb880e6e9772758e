"""The strength index's pages under /dashboards/strength/: a node's compounds ranked with their dimensions and
change, a compound's breakdown and history, and the indicators' documentation. Tables only (charts come later)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import Role
from communities.policies import OFFICE_ROLES
from communities.policy import highest_assignment
from communities.scope import scope_for
from dashboards import nodes
from dashboards.models import Dimension
from dashboards.selectors import breadcrumb
from dashboards.strength import selectors
from dashboards.strength.policies import node_or_404, reads_index
from petitions.policies import reads_figures


def _breadcrumb(node) -> list:
    """The node's ancestors and itself, district first, as (level, node)."""
    return [(str(n.level), n) for n in breadcrumb(node)]


def _day(request):
    raw = request.GET.get("on")
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return False


@login_required
def home(request):
    """The user's own node: the highest office they hold, else the compound they serve."""
    scope = scope_for(request.user)
    personal = sorted(scope.personal_compounds)
    if (personal and highest_assignment(scope, OFFICE_ROLES) is None
            and any(a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER) for a in scope.assignments)):
        return redirect("dashboards:strength-compound", pk=personal[0])
    own = nodes.home_node(scope, OFFICE_ROLES)
    if own is None:
        raise Http404
    return redirect("dashboards:strength-node", level=own[0], pk=own[1])


def _menu(request, level: str, node) -> dict:
    """The dashboards' menu on an index page: the node's overview, map and command centre where the user may open
    them (a committee member reads its compound's index but has no figures page)."""
    menu = {"can_admin": request.user.is_staff, "strength_url": request.path}
    if reads_figures(request.user, node):
        for name in ("overview", "map", "screen"):
            menu[f"{name}_url"] = reverse(f"dashboards:{name}", args=[level, node.pk])
    return menu


@login_required
def node(request, level: str, pk: int):
    if level == "compound":
        return redirect("dashboards:strength-compound", pk=pk)
    place = node_or_404(request.user, level, pk)
    on = _day(request)
    if on is False:
        return HttpResponseBadRequest(_("Enter the date as YYYY-MM-DD."))
    ranking = selectors.ranking(request.user, place, on=on)
    rank_field = {"district": "rank_district", "street": "rank_street", "community": "rank_community"}[level]
    rows = [{"score": row, "rank": getattr(row, rank_field),
             "dimensions": [row.dimensions.get(d) for d in Dimension.values]} for row in ranking["rows"]]
    return render(request, "dashboards/strength/node.html", {
        "node": place, "level": level, "breadcrumb": _breadcrumb(place), "ranking": ranking, "rows": rows,
        "dimensions": Dimension.choices, **_menu(request, level, place),
    })


@login_required
def compound(request, pk: int):
    place = node_or_404(request.user, "compound", pk)
    on = _day(request)  # before the history is read: a malformed date costs no more than the node
    if on is False:
        return HttpResponseBadRequest(_("Enter the date as YYYY-MM-DD."))
    history = selectors.history(request.user, place)
    current = next((h for h in history if h.on == on), None) if on else (history[0] if history else None)
    if on and current is None:
        raise Http404
    return render(request, "dashboards/strength/compound.html", {
        "node": place, "breadcrumb": _breadcrumb(place), "history": history, "current": current,
        "parts": selectors.breakdown_rows(current) if current else [],
        "dimensions": [(code, label, current.dimensions.get(code) if current else None)
                       for code, label in Dimension.choices],
        **_menu(request, "compound", place),
    })


@login_required
def indicators(request):
    scope = scope_for(request.user)
    if not reads_index(scope):
        raise Http404
    district_id = min(scope.tenants) if scope.tenants else None
    table = selectors.indicator_table(district_id)
    labels = dict(Dimension.choices)
    return render(request, "dashboards/strength/indicators.html", {
        "groups": [(labels[code], [r for r in table if r["dimension"] == code]) for code in Dimension.values],
        "can_admin": request.user.is_staff,
    })
