"""The pages of every error a person can meet with DEBUG off (400, 403, 404, 413, 429, 500, a CSRF failure): in
the portal's style, in the admin's under /admin/, and as JSON under /api/ (what an API client reads)."""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import exceptions

logger = logging.getLogger(__name__)


def _texts() -> dict:
    # Built per call: the request's language is active only then.
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Not allowed"), _("You may not open this page.")),
        404: (_("Page not found"), _("This page does not exist, or it is not within what you may see.")),
        413: (_("Upload too large"), _("What you sent is too large: at most %(limit)s in all. Choose fewer or "
                                       "smaller photos and try again.")),
        429: (_("Too many attempts"), _("Please wait a moment and try again.")),
        500: (_("Something went wrong"), _("The platform could not complete the request. It has been recorded; "
                                           "please try again later.")),
        "csrf": (_("The form has expired"), _("The page was open too long or cookies are blocked. Go back, reload "
                                             "the page and send the form again.")),
    }


def error_response(request, status: int, *, key=None, message: str | None = None, **params) -> HttpResponse:
    title, text = _texts()[key or status]
    text = message or (text % params if params else text)
    if request.path.startswith("/api/"):
        # The same body as the API's own 404 for an unknown or invisible object.
        detail = str(exceptions.NotFound.default_detail) if status == 404 else text
        return JsonResponse({"detail": detail}, status=status)
    template = "admin/errors/page.html" if request.path.startswith("/admin/") else "errors/page.html"
    try:
        return render(request, template, {"status": status, "title": title, "message": text}, status=status)
    except Exception:  # the page of last resort: an error page must never raise
        logger.exception("Error page %s failed to render", status)
        return HttpResponse(f"{status} {title}", status=status, content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    return error_response(request, 403, key="csrf")
