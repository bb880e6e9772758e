"""What a locked-out login attempt receives (django-axes calls this): the 429 page (config.errors)."""

from django.utils.translation import gettext as _

from config.errors import error_response


def lockout_response(request, original_response=None, credentials=None):
    message = _("Too many failed login attempts. Please try again in 15 minutes.")
    return error_response(request, 429, message=message)
