"""Residents' pages of the firms' evaluation: my compound's firm (its service menu, stars and list history, and
the quarter's one-question survey) and the district's red/black list."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.policies import household_policy
from communities.scope import scope_for
from core.errors import DomainError
from portal import selectors as portal_selectors
from properties import selectors as property_selectors
from properties.models import MenuGroup
from rankings import selectors, services
from rankings.models import Placement
from rankings.policies import result_policy


def _home(user):
    residency = next(iter(scope_for(user).residencies), None)
    if residency is None:
        raise Http404
    return residency.household


@login_required
def my_firm(request):
    """The firm serving my compound: what it commits to, its stars, its place on the lists, the survey."""
    household = _home(request.user)
    contract = property_selectors.active_contract(household.compound_id)
    menu, record = defaultdict(list), {"results": [], "stars": []}
    if contract is not None:
        for item in property_selectors.menu_for(firm_id=contract.firm_id, compound_id=household.compound_id):
            menu[item.group].append(item)
        record = selectors.firm_record(contract.firm_id)
    return render(request, "portal/firm.html", {
        "contract": contract, "record": record,
        "menu": [(MenuGroup(group).label, menu[group]) for group in MenuGroup.values if menu[group]],
        "survey": selectors.open_survey(household, today=timezone.localdate()),
        "household_id": household.pk,
    })


@login_required
@require_POST
def survey_answer(request):
    household = household_policy.get_visible(request.user, pk=request.POST.get("household") or 0)
    try:
        services.survey_answer(actor=request.user, household=household, score=int(request.POST.get("score") or 0))
        messages.success(request, _("Thank you: your household's answer is recorded."))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Choose 1 to 5.")))
    return redirect("portal:firm")


@login_required
def lists(request):
    """The district's published red and black lists, newest first, and the year's best red firms."""
    district_ids = portal_selectors.home_district_ids(request.user)
    if not district_ids:
        raise Http404
    rows = result_policy.visible(request.user).filter(
        period__district_id__in=district_ids, period__status="published",
        placement__in=[Placement.RED, Placement.BLACK]).select_related("period", "firm").order_by(
        "-period__year", "-period__quarter", "placement", "rank")
    quarters = defaultdict(lambda: {"red": [], "black": []})
    for row in rows:
        quarters[row.period][row.placement].append(row)
    year = timezone.localdate().year
    return render(request, "portal/lists.html", {
        "quarters": list(quarters.items()),
        "best": selectors.best_red_firms(district_ids, year=year),
        "year": year,
    })
