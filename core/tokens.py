"""API tokens with a lifetime (settings.API_TOKEN_HOURS) that can be revoked.

DRF's token model is kept (one row per user, looked up with its user in one query on every request, which the
petition-create hot path counts on): a login issues a fresh token and so revokes the one before; a token older
than its lifetime answers 401 "Token has expired."; removing a role revokes the user's token (communities'
role_revoke), and a platform admin may delete any token in the admin."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

TOKEN_EXPIRED = _("Token has expired.")


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.API_TOKEN_HOURS)


@transaction.atomic
def issue_token(user) -> Token:
    """A new token for the user, replacing any earlier one. The user's row is locked first, so that two logins
    at once do not both try to insert the user's one token."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def revoke_tokens(user) -> int:
    """Deletes the user's API tokens; their next request answers 401. How many there were."""
    return Token.objects.filter(user=user).delete()[0]


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication (one query: the token with its user) that refuses a token past its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - token_lifetime():
            raise AuthenticationFailed(TOKEN_EXPIRED)
        return user, token
