"""Resident pages of the closed loop: my petitions, submit (with possible duplicates offered), the timeline,
rating. Each page asks the petition policy and calls the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.policies import building_policy
from core.errors import DomainError
from petitions import selectors, services
from petitions.forms import PetitionForm, RateForm
from petitions.policies import petition_policy
from portal import selectors as portal_selectors


@login_required
def my_petitions(request):
    page = Paginator(selectors.my_petitions(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "petitions/my_list.html", {"page": page})


@login_required
def petition_new(request):
    compounds = portal_selectors.own_compound_ids(request.user)
    if not compounds:
        raise PermissionDenied(_("Only residents submit petitions of their own."))
    form = PetitionForm(
        request.POST or None, request.FILES or None,
        # The catalogue of the resident's own district: a resident with a staff role elsewhere is not offered
        # categories the service would refuse.
        categories=selectors.categories_for(request.user).filter(
            district_id__in=portal_selectors.home_district_ids(request.user)),
        buildings=building_policy.visible(request.user).filter(compound_id__in=compounds).order_by("name"),
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        compound_id = data["building"].compound_id if data["building"] else compounds[0]
        if "check" in request.POST:
            duplicates = selectors.possible_duplicates_for_resident(
                compound_id=compound_id, category_id=data["category"].pk)
        else:
            try:
                petition = services.petition_submit(
                    actor=request.user, compound=compound_id, category=data["category"],
                    description=data["description"], building=data["building"], spot=data["spot"],
                    anonymous=data["anonymous"], photos=data["photos"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Your petition has been submitted."))
                return redirect("portal:petition", pk=petition.pk)
    return render(request, "petitions/form.html", {"form": form, "duplicates": duplicates,
                                                   "checked": "check" in request.POST})


@login_required
def petition_detail(request, pk):
    petition = petition_policy.get_visible(request.user, pk=pk)
    return render(request, "petitions/detail.html", {
        "petition": petition,
        "events": selectors.timeline(petition).prefetch_related("attachments"),
        "photos": petition.attachments.filter(event__isnull=True),
        "can_rate": "rate" in selectors.available_actions(request.user, petition),
        "rate_form": RateForm(),
        "sees_reporter": petition_policy.sees_reporter(request.user, petition),
    })


@login_required
@require_POST
def petition_rate(request, pk):
    petition = petition_policy.get_visible(request.user, pk=pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.petition_rate(actor=request.user, petition=petition, rating=form.cleaned_data["rating"],
                                   comment=form.cleaned_data["comment"])
            messages.success(request, _("Thank you for your rating."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("portal:petition", pk=petition.pk)


@login_required
def inbox(request):
    """The user's in-app notifications, newest first; opening the page marks them read."""
    from django.utils import timezone

    page = Paginator(selectors.inbox(request.user).select_related("petition"), 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "petitions/inbox.html", {"page": page, "unread": set(unread)})
    if unread:
        selectors.inbox(request.user).filter(pk__in=unread).update(read_at=timezone.now())
    return response
