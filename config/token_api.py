"""The middleware a token request to the API passes by (ADR 0011).

A request to a path under settings.API_TOKEN_PATHS (`/api/v1/`: DRF views only, tested) whose `Authorization`
header names a token is authenticated by DRF's token authentication and nothing else: DRF never falls back to the
session for it (a token header it cannot read is a 401), never asks it for a CSRF token (only DRF's session
authentication enforces CSRF), and no API view uses sessions or messages. For such a request these middleware
do nothing but cost time, so each is a subclass of its own class that hands the request straight on:

- whitenoise (it serves STATIC_URL only), the sessions, the auth middleware's session user, messages.

CSRF's middleware stays in every chain under its own name (Django's deployment check looks for it by name): for a
DRF view, which is CSRF-exempt, it reads the cookie and returns at once.

Every other request runs them exactly as before. What a token request keeps: SecurityMiddleware (nosniff, HSTS,
the HTTPS redirect, referrer and opener policies), the body limit (413), the Content-Security-Policy and
X-Frame-Options headers (API answers carry them too), LocaleMiddleware (error messages in the client's
Accept-Language), CommonMiddleware, simple_history's request middleware (the history rows of API writes name
their user: DRF sets the user on the request it wraps) and axes' lockout answer. The classes stay subclasses of
the originals, so Django's and the apps' checks that look for them in MIDDLEWARE still find them.
"""

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware


def is_token_api_request(request) -> bool:
    """A request to the API that DRF will authenticate by its token alone: DRF's TokenAuthentication takes every
    `Authorization` header whose first word is `token` (any case), so a header starting so never reaches the
    session authentication behind it."""
    try:
        return request._token_api
    except AttributeError:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        request._token_api = answer = (header[:6].lower() == "token " and
                                       request.path_info.startswith(settings.API_TOKEN_PATHS))
        return answer


class _PassedByTokenAPI:
    def __call__(self, request):
        if is_token_api_request(request):
            return self.get_response(request)
        return super().__call__(request)


class WhiteNoise(_PassedByTokenAPI, WhiteNoiseMiddleware):
    pass


class Sessions(_PassedByTokenAPI, SessionMiddleware):
    pass


class Authentication(_PassedByTokenAPI, AuthenticationMiddleware):
    pass


class Messages(_PassedByTokenAPI, MessageMiddleware):
    pass
