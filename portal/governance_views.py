"""Residents' pages of the governance side: open votes (cast a ballot), decisions, the supervisory record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

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
    bodies = portal_selectors.mark_terms(list(
        body_policy.visible(request.user).filter(compound_id__in=compound_ids).select_related("compound")
        .order_by("compound_id", "kind")))
    members = list(body_member_policy.visible(request.user).filter(body__in=bodies).select_related(
        "person").order_by("body_id", "office"))
    crossed = set(CrossAppointment.objects.filter(body_member__in=members).values_list("body_member_id", flat=True))
    by_body = {b.pk: b for b in bodies}
    for b in bodies:
        b.member_list = []
    for m in members:
        m.is_cross_appointed = m.pk in crossed
        by_body[m.body_id].member_list.append(m)
    return render(request, "governance/votes.html", {
        "open_votes": open_votes, "closed_votes": closed, "bodies": bodies,
        "party_organizations": selectors.party_organizations_for_portal(compound_ids),
    })


def _results(summary: dict) -> list[dict]:
    """Per choice: heads, area and the share of those taking part (for a <progress> bar, no inline style)."""
    counts = summary["counts"]
    taking_part = counts["participating_heads"]
    return [{
        "choice": choice, "label": label, "heads": counts[f"{choice}_heads"], "area": counts[f"{choice}_area"],
        "percent": round(100 * counts[f"{choice}_heads"] / taking_part) if taking_part else 0,
    } for choice, label in Ballot.Choice.choices]


def _percent(share: str | None) -> int | None:
    return None if share is None else round(100 * float(share))


@login_required
def vote_detail(request, pk):
    vote = vote_policy.get_visible(request.user, pk=pk)
    summary = selectors.vote_summary(vote)
    mine = Ballot.objects.filter(vote=vote, voter__person__user_id=request.user.pk).first()
    return render(request, "governance/vote_detail.html", {
        "vote": vote, "summary": summary, "results": _results(summary), "mine": mine,
        "turnout_heads": _percent(summary["turnout_heads"]), "turnout_area": _percent(summary["turnout_area"]),
        "weight": portal_selectors.ballot_weight(vote, request.user), "choices": Ballot.Choice.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def vote_cast(request, pk):
    """GET: the confirmation step (the choice, what the ballot counts, that it cannot be changed); POST: cast."""
    vote = vote_policy.get_visible(request.user, pk=pk)
    choice = request.POST.get("choice", "") if request.method == "POST" else request.GET.get("choice", "")
    if request.method == "GET":
        if choice not in Ballot.Choice.values:
            return render(request, "governance/vote_confirm.html", {
                "vote": vote, "error": _("Choose approve, oppose or abstain.")}, status=400)
        if vote.status != Vote.Status.OPEN:
            messages.error(request, _("This vote is closed."))
            return redirect("portal:vote", pk=vote.pk)
        return render(request, "governance/vote_confirm.html", {
            "vote": vote, "choice": choice, "choice_label": Ballot.Choice(choice).label,
            "weight": portal_selectors.ballot_weight(vote, request.user),
        })
    try:
        services.ballot_cast(actor=request.user, vote=vote, choice=choice)
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
