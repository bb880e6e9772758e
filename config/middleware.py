"""Request-level guards that must answer before any view reads the body."""

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class RequestBodyLimitMiddleware:
    """Answers 413 for a body larger than MAX_REQUEST_BODY_BYTES, judged by its declared length."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": _("Invalid Content-Length header.")}, status=400)
        if length > settings.MAX_REQUEST_BODY_BYTES:
            from config.errors import error_response

            # A page for a form in the portal or the admin, JSON for the API (config.errors).
            return error_response(request, 413, limit=filesizeformat(settings.MAX_REQUEST_BODY_BYTES))
        return self.get_response(request)
