"""Residents' pages of the governance side: open votes (cast a ballot), decisions, the supervisory record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from governance import selectors, services
from governance.models import Ballot, CrossAppointment, Vote
from governance.policies import body_member_policy, body_policy, supervisory_record_policy, vote_policy
from portal import selectors as portal_selectors


@login_required
def votes(request):
    """The open votes of my compounds, the decided ones, the compound bodies and the party organizations."""
    compound_ids = portal_selectors.own_compound_ids(request.user)
    open_votes = selectors.open_votes_for(request.user, compound_ids)
    closed = (
        vote_policy.visible(request.user).filter(compound_id__in=compound_ids, status=Vote.Status.CLOSED)
        .select_related("item", "compound").order_by("-closed_at")[:20]
    )
    bodies = body_policy.visible(request.user).filter(compound_id__in=compound_ids).select_related(
        "compound").order_by("compound_id")
    members = list(body_member_policy.visible(request.user).filter(body__in=bodies).select_related(
        "person").order_by("body_id", "office"))
    crossed = set(CrossAppointment.objects.filter(body_member__in=members).values_list("body_member_id", flat=True))
    for m in members:
        m.is_cross_appointed = m.pk in crossed
    return render(request, "governance/votes.html", {
        "open_votes": open_votes, "closed_votes": closed, "bodies": bodies, "members": members,
        "party_organizations": selectors.party_organizations_for_portal(compound_ids),
    })


@login_required
def vote_detail(request, pk):
    vote = vote_policy.get_visible(request.user, pk=pk)
    mine = Ballot.objects.filter(vote=vote, voter__person__user_id=request.user.pk).first()
    eligible = vote.voters.filter(person__user_id=request.user.pk).exists()
    return render(request, "governance/vote_detail.html", {
        "vote": vote, "summary": selectors.vote_summary(vote), "mine": mine, "eligible": eligible,
        "choices": Ballot.Choice.choices,
    })


@login_required
@require_POST
def vote_cast(request, pk):
    vote = vote_policy.get_visible(request.user, pk=pk)
    try:
        services.ballot_cast(actor=request.user, vote=vote, choice=request.POST.get("choice", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your ballot has been recorded. Thank you."))
    return redirect("portal:vote", pk=vote.pk)


@login_required
def records(request):
    """The supervisory board's record of decisions (one matter, one record) for my compounds."""
    rows = (
        supervisory_record_policy.visible(request.user)
        .filter(compound_id__in=portal_selectors.own_compound_ids(request.user), published_at__isnull=False)
        .select_related("compound").order_by("-recorded_at")[:50]
    )
    return render(request, "governance/records.html", {"records": rows})
