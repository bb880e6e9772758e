"""API tokens with a lifetime (settings.API_TOKEN_HOURS) that can be revoked.

DRF's token model is kept (one row per user, looked up with its user in one query on every request, which the
petition-create hot path counts on): a login issues a fresh token and so revokes the one before; a token older
than its lifetime answers 401 "Token has expired."; removing a role revokes the user's token (communities'
role_revoke), and a platform admin may delete any token in the admin.

A token found is kept in the `tokens` cache (Redis in production, shared by every worker) for
API_TOKEN_CACHE_SECONDS, so that a request pays no query for its authentication (benchmarks/README.md, peer
benchmark). A deleted token (a login, a revoke, the admin) and a saved user leave a tombstone under the token's
cache key, at once and again at commit: the next request reads the database and answers 401 for a revoked token
or an inactive user; a request that read the token before the commit cannot put it back (`add` never overwrites
the tombstone). The lifetime is checked on every request against the token's creation time, cached or not.

On Redis the `tokens` alias keeps what a worker read in the worker's memory as well (redis-py's client-side cache,
config/cache.py, ADR 0011): Redis tracks which keys each worker's connection read and pushes an invalidation to
that connection when one is written, and the worker reads those pushes before it answers a token from memory.
The tombstone's second write (after the commit) is what makes that immediate: once it returns, Redis has sent the
first write's invalidation to every worker (a push may trail a single write's reply by microseconds), so a
request that starts after a revoke has returned is refused by every worker. Only token keys live in this alias,
so only they are tracked."""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
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


_TOMBSTONE = "revoked"


def _cache():
    return caches["tokens"]


def _cache_key(key: str) -> str:
    # A digest, not the secret itself, in the cache's key space.
    return "api-token:" + hashlib.sha256(key.encode()).hexdigest()


def _forget(keys) -> None:
    """Tombstones the tokens' cache entries now and again after the commit (a request that read a token before the
    deletion committed may have cached it in between); a tombstone outlives any entry it replaces."""
    entries = {_cache_key(k): _TOMBSTONE for k in keys}
    if not entries or not settings.API_TOKEN_CACHE_SECONDS:
        return
    timeout = settings.API_TOKEN_CACHE_SECONDS + 60
    tokens_cache = _cache()
    tokens_cache.set_many(entries, timeout)
    transaction.on_commit(lambda: tokens_cache.set_many(entries, timeout))


def _token_deleted(sender, instance, **kwargs):
    _forget([instance.key])


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    # A login's `last_login` changes nothing the token's request reads; anything else (active, superuser, staff)
    # may, so the user's token is read from the database again.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    forget_user_tokens(instance)


def forget_user_tokens(user) -> None:
    """The user's tokens are read from the database again on their next request: for a change of the user that
    sends no post_save (a queryset `update`)."""
    if settings.API_TOKEN_CACHE_SECONDS:
        _forget(Token.objects.filter(user_id=user.pk).values_list("key", flat=True))


post_delete.connect(_token_deleted, sender=Token, dispatch_uid="core.tokens.token_deleted")
post_save.connect(_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.tokens.user_saved")


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication (one query: the token with its user; none while the token is cached) that
    refuses a token past its lifetime."""

    def authenticate_credentials(self, key):
        seconds = settings.API_TOKEN_CACHE_SECONDS
        cache_key = _cache_key(key) if seconds and isinstance(key, str) else None
        tokens_cache = _cache()
        token = tokens_cache.get(cache_key) if cache_key else None
        if isinstance(token, Token) and token.user.is_active:
            user = token.user
        else:
            user, token = super().authenticate_credentials(key)  # 401 for an unknown key or an inactive user
            if cache_key and token.created >= timezone.now() - token_lifetime():
                left = (token.created + token_lifetime() - timezone.now()).total_seconds()
                tokens_cache.add(cache_key, token, timeout=max(1, min(seconds, int(left))))
        if token.created < timezone.now() - token_lifetime():
            raise AuthenticationFailed(TOKEN_EXPIRED)
        return user, token
