"""Reads of the inbox."""

from django.db.models import QuerySet

from notifications.links import url_for
from notifications.models import Notification


def inbox(user) -> QuerySet:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def with_links(notifications, user) -> list[tuple[Notification, str | None]]:
    """Each notice with the page that opens its target for this user (staff: theirs; residents: the portal)."""
    return [(n, url_for(n, user)) for n in notifications]
