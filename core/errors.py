"""Domain errors: what a rule answers when it refuses, and the one list of refusals every door shares.

Kept free of DRF and of any app so that models, services, the admin, the portal and the API can all import it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the domain refused the request; answered as 400 with the message."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# What a service may raise to refuse (a rule, a bad value, a missing permission, an invisible object): each door
# turns these into its own answer (the API a 400/403/404, the admin a message, the portal a form error).
REFUSALS: tuple[type[Exception], ...] = (DomainError, ValidationError, PermissionDenied, Http404)


def refusal_reason(exc) -> str:
    """Why a service refused, in words for a message (every field's messages of a validation error, joined)."""
    return getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc) or _("not allowed")
