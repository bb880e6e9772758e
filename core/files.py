"""Private files (petition photos, contract documents) served to whoever may see their record: the request's user
by session or API token, and the one way a stored file leaves the platform."""

import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from rest_framework.exceptions import AuthenticationFailed

from core.tokens import ExpiringTokenAuthentication

CACHE_CONTROL = "private, max-age=3600"


def request_user(request):
    """The session's user, else the API token's (`Authorization: Token …`, the API's own authentication, so an
    expired token opens nothing here either), else None."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = ExpiringTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def serve_private(name: str, content_type: str, *, inline_types=frozenset()) -> HttpResponse:
    """The stored file `name` as a private, non-sniffable response; inline only for the given (checked) types,
    every other file as a download."""
    inline = content_type in inline_types
    prefix = getattr(settings, "ATTACHMENTS_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type if inline else "application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name, "rb"),
                                content_type=content_type if inline else "application/octet-stream")
    # RFC 6266 with filename* for a Chinese name (a bare non-ASCII header is MIME-encoded into garbage).
    response["Content-Disposition"] = content_disposition_header(not inline, os.path.basename(name))
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
