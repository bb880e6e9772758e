"""Cached pages of a scoped list (the compounds list): the rendered answer, kept under a key that holds
everything the answer depends on (docs/adr/0013-cached-list-pages.md).

A page is a function of (1) the rows the user may see — the policy's `visible_q` of the user's scope, (2) the
request — path, query string, host and scheme (the `next`/`previous` links), the negotiated media type, the
language — and (3) the table's data. The key holds:

- the policy's filter itself, written out canonically (`canonical`): two users share a page exactly when their
  filters are equal, whoever they are; a filter that holds anything but plain values (a subquery, an
  expression) cannot be written out, and its pages are not cached;
- the absolute URL, the media type and the language;
- the table's version and the database's oid, read in the scope statement (`communities.scope`; only the lists
  ask for them): a trigger changes the version with every write to the table, whatever door it comes through,
  visible exactly when the write commits (migration 0009).

Scope changes need no invalidation: roles, residencies, guardian grants (a firm's contracts) are read afresh by
the scope statement on every request, and a changed scope is a changed filter, so another key. Only answers
with status 200 are kept; errors are computed every time. Superusers, other databases than PostgreSQL, other
renderers than JSON (the browsable API) and `API_LIST_CACHE_SECONDS = 0` are never cached.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer

from communities.scope import scope_for

_PREFIX = "listpage:"
log = logging.getLogger(__name__)


class _Unkeyable(Exception):
    pass


def canonical(q: Q):
    """The filter as plain JSON-able lists, equal for equal filters (sets sorted); raises _Unkeyable for
    anything but AND/OR/NOT over `lookup=value` with plain values."""
    if not isinstance(q, Q):
        raise _Unkeyable(type(q).__name__)
    children = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(canonical(child))
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            children.append([child[0], _value(child[1])])
        else:
            raise _Unkeyable(repr(child))
    return [q.connector, q.negated, children]


def _value(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, set | frozenset):
        return {"set": sorted((_value(v) for v in value), key=json.dumps)}
    if isinstance(value, list | tuple):
        return {"list": [_value(v) for v in value]}
    raise _Unkeyable(type(value).__name__)


def page_key(view, request) -> str | None:
    """The cache key of the list page this request asks for, or None when it is not to be cached."""
    seconds = settings.API_LIST_CACHE_SECONDS
    table = view.list_cache
    if not seconds or not table or connection.vendor != "postgresql":
        return None
    if not isinstance(getattr(request, "accepted_renderer", None), JSONRenderer):
        return None
    scope = scope_for(request.user, list_versions=True)
    version = (scope.list_versions or {}).get(table)
    if scope.is_superuser or scope.user_id is None or version is None:
        return None
    try:
        visible = canonical(view.policy.visible_q(scope))
    except _Unkeyable:
        return None
    parts = [table, version, settings.DATABASES[connection.alias].get("NAME"), visible,
             request.build_absolute_uri(), request.accepted_media_type, get_language()]
    digest = hashlib.sha256(json.dumps(parts, separators=(",", ":")).encode()).hexdigest()
    return f"{_PREFIX}{table}:{digest}"


def cached_page(request, key: str) -> HttpResponse | None:
    """The kept answer, written as DRF would write it with the negotiated renderer, or None."""
    try:
        body = cache.get(key)
    except Exception:  # the cache is down: the page is computed, as without it
        log.warning("list cache unavailable", exc_info=True)
        return None
    if not isinstance(body, bytes):
        return None
    renderer = request.accepted_renderer
    content_type = renderer.media_type + (f"; charset={renderer.charset}" if renderer.charset else "")
    return HttpResponse(body, content_type=content_type)


def keep_page(response, key: str) -> None:
    """Keeps the answer once rendered, if it is a 200."""

    def store(rendered):
        if rendered.status_code == 200:
            try:
                cache.set(key, bytes(rendered.content), settings.API_LIST_CACHE_SECONDS)
            except Exception:  # the answer stands; the next request computes it again
                log.warning("list cache unavailable", exc_info=True)

    response.add_post_render_callback(store)
