from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from communities.policies import OFFICE_ROLES, compound_policy
from communities.scope import scope_for
from communities.selectors import me as me_of
from communities.selectors import my_residencies
from governance.selectors import open_votes_for
from portal.selectors import compound_contacts


@login_required
def home(request):
    """My households and, for each compound I live in, who leads it and how to reach them."""
    scope = scope_for(request.user)
    residencies = list(my_residencies(request.user))
    if not residencies and scope.is_staff_member:
        # The offices land on their dashboard (the admin is one click away there); other staff on the admin.
        if not scope.is_superuser and scope.has_role(*OFFICE_ROLES):
            return redirect("dashboards:home")
        return redirect("admin:index")
    compounds = {r.household.compound_id: r.household.compound for r in residencies}
    cards = [compound_contacts(c) for c in compounds.values()]
    waiting = [v for v in open_votes_for(request.user, list(compounds)) if v.my_ballot is None]
    return render(request, "portal/home.html", {
        "me": me_of(request.user), "residencies": residencies, "cards": cards, "votes_waiting": waiting,
    })


@login_required
def compound_detail(request, pk):
    compound = compound_policy.get_visible(request.user, pk=pk)
    return render(request, "portal/compound.html", {"card": compound_contacts(compound)})


@login_required
def me(request):
    """My account: my households (each with its compound's page), the supervisory record, language, log out."""
    return render(request, "portal/me.html", {
        "me": me_of(request.user), "residencies": list(my_residencies(request.user)),
    })
