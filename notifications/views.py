"""The inbox page, for staff and residents alike: each notice links to what it is about, on the user's side."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from notifications import selectors


@login_required
def inbox(request):
    """The user's in-app notifications, newest first; opening the page marks them read."""
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "notifications/inbox.html", {
        "page": page, "notices": selectors.with_links(page, request.user), "unread": set(unread),
    })
    if unread:
        selectors.inbox(request.user).filter(pk__in=unread).update(read_at=timezone.now())
    return response
