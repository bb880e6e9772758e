"""The in-app inbox and the outbox of the other channels. A notice points at what it is about by a generic
target (a kind registered in `notifications.links` and the object's id), so that every app may notify without
this app knowing any of them (docs/adr/0004)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_target(self, obj):
        """The notices about `obj` (a model instance of a registered kind)."""
        from notifications.links import target_of  # here: links imports this module

        kind, pk = target_of(obj)
        return self.filter(target_kind=kind, target_id=pk)


class Notification(models.Model):
    """One message in a user's in-app inbox, and the outbox of its e-mail and other channels: `delivered_at` stays
    empty until `notifications.services.deliver` (after commit, or the minute's outbox sweep) has sent it."""

    # No index of its own: `notification_inbox` (user, created_at) serves it (ADR 0012).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("user"),
        db_index=False,
    )
    target_kind = models.CharField(
        _("about (kind)"), max_length=40, blank=True,
        help_text=_("The kind of object the notice is about, as registered by its app; empty for none."),
    )
    target_id = models.BigIntegerField(_("about (id)"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivered_at = models.DateTimeField(
        _("delivered at"), null=True, blank=True,
        help_text=_("When it went out by e-mail and the other channels; empty while it waits in the outbox."),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="notification_inbox"),
            # The outbox: only the rows still to be delivered, so the minute's sweep reads few rows.
            models.Index(fields=["id"], condition=Q(delivered_at__isnull=True), name="notification_undelivered"),
            # The notices about one object (removed with it, see links.forget).
            models.Index(fields=["target_kind", "target_id"], name="notification_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_kind="", target_id__isnull=True) | (~Q(target_kind="") & Q(target_id__isnull=False)),
                name="notification_target_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
