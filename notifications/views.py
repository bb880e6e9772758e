"""The inbox page, for staff and residents alike: each notice links to what it is about, on the user's side."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from notifications import selectors, services


@login_required
def inbox(request):
    """The user's in-app notifications, newest first; opening the page marks them read."""
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    context = {"page": page, "notices": selectors.with_links(page, request.user), "unread": set(unread)}
    if request.user.is_staff:
        # Staff reach it from the admin's header and their notices open admin pages: the admin's look and
        # header, not the residents' portal with its tab bar of a resident's pages.
        context |= admin.site.each_context(request) | {"title": _("Notifications")}
    response = render(request, "admin/inbox.html" if request.user.is_staff else "notifications/inbox.html", context)
    services.mark_read(request.user, unread)
    return response
