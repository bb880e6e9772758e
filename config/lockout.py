"""What a locked-out login attempt receives (django-axes calls this)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    message = _("Too many failed login attempts. Please try again in 15 minutes.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "portal/locked_out.html", {"message": message}, status=429)
