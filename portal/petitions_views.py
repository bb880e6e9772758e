"""Resident pages of the closed loop: my petitions, submit (with possible duplicates offered), the timeline,
rating. Each page asks the petition policy and calls the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.policies import building_policy
from core.errors import DomainError
from petitions import selectors, services
from petitions.forms import PetitionForm, RateForm
from petitions.policies import petition_policy
from portal import handling
from portal import selectors as portal_selectors
from portal.forms import SimilarCheckForm


@login_required
def my_petitions(request):
    page = Paginator(selectors.my_petitions(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "petitions/my_list.html", {"page": page})


def _report_choices(request) -> dict:
    """What a resident reports about: the catalogue of their own district (a resident with a staff role elsewhere
    is not offered categories the service would refuse) and the buildings of their own compounds."""
    compounds = portal_selectors.own_compound_ids(request.user)
    if not compounds:
        raise PermissionDenied(_("Only residents submit petitions of their own."))
    return {
        "categories": selectors.categories_for(request.user).filter(
            district_id__in=portal_selectors.home_district_ids(request.user)),
        "buildings": building_policy.visible(request.user).filter(compound_id__in=compounds).order_by("name"),
    }


def _similar(request, data) -> list[dict]:
    compound_id = data["building"].compound_id if data["building"] else portal_selectors.own_compound_ids(
        request.user)[0]
    return portal_selectors.similar_reports(request.user, compound_id=compound_id, category_id=data["category"].pk)


@login_required
def petition_new(request):
    form = PetitionForm(request.POST or None, request.FILES or None, **_report_choices(request))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        compound_id = data["building"].compound_id if data["building"] else portal_selectors.own_compound_ids(
            request.user)[0]
        if "check" in request.POST:
            # Without JavaScript the check posts the whole form; with htmx it is the partial request below.
            duplicates = _similar(request, data)
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
@require_GET
def petition_similar(request):
    """The similar open reports for the category and building chosen so far: a partial page that htmx puts under
    the form, so the form (and the photos chosen) stays as it is."""
    form = SimilarCheckForm(request.GET, **_report_choices(request))
    if not form.is_valid():
        return render(request, "petitions/_similar.html", {"errors": form.errors}, status=400)
    if not form.cleaned_data["category"]:
        return render(request, "petitions/_similar.html", {"need_category": True})
    return render(request, "petitions/_similar.html", {"checked": True,
                                                       "duplicates": _similar(request, form.cleaned_data)})


@login_required
def petition_detail(request, pk):
    petition = petition_policy.get_visible(request.user, pk=pk)
    return render(request, "petitions/detail.html", {
        "petition": petition,
        "events": handling.timeline_with_organisations(petition, selectors.timeline(petition).prefetch_related("attachments"),
                                                     request.user),
        "handling": handling.current_handler(petition),
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
