"""Channels beyond the inbox and e-mail (SMS, WeChat …): `settings.NOTIFICATION_BACKENDS` lists dotted paths of
backends; the default writes to the log."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications")
DEFAULT_BACKENDS = ["notifications.backends.LogBackend"]


class Backend:
    """A channel beyond the inbox and e-mail. `send` gets saved notifications with their users loaded."""

    def send(self, notifications) -> None:
        raise NotImplementedError


class LogBackend(Backend):
    def send(self, notifications):
        for n in notifications:
            logger.info("notify user=%s %s=%s subject=%s", n.user_id, n.target_kind or "target", n.target_id,
                        n.subject)


def backends() -> list[Backend]:
    return [import_string(path)() for path in getattr(settings, "NOTIFICATION_BACKENDS", DEFAULT_BACKENDS)]
