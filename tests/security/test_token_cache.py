"""The API token cache on Redis with client-side caching (ADR 0011): a worker answers a token it read before from
its own memory, without a round trip, and a revoke written by any other process reaches it before its next
request. Two "workers" here are two cache backends with their own connection pools and local caches, on the
real Redis (REDIS_URL); without Redis these tests are skipped (the suite then runs the token cache on memory)."""

import datetime

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from config.cache import RedisCache, token_cache_options
from core import tokens
from core.tokens import ExpiringTokenAuthentication, _cache_key, issue_token, revoke_tokens

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL=redis://…"),
]


def _worker():
    """Another process's `tokens` cache: its own pool, its own connection, its own local cache."""
    return RedisCache(settings.REDIS_URL, {"OPTIONS": token_cache_options(max_size=100)})


@pytest.fixture
def worker(monkeypatch):
    """Runs the token authentication through a second worker's cache; revokes go through this process's alias."""
    other = _worker()

    def authenticate(key):
        with monkeypatch.context() as m:
            m.setattr(tokens, "_cache", lambda: other)
            return ExpiringTokenAuthentication().authenticate_credentials(key)

    authenticate.cache = other
    yield authenticate
    other.close()
    other._cache.get_client().connection_pool.disconnect()


def _local_entries(backend) -> int:
    return backend._cache.get_client().connection_pool.cache.size


@pytest.fixture
def round_trips(monkeypatch):
    """Commands this process sends to Redis over any connection, counted."""
    sent = []
    original = redis.connection.AbstractConnection.send_command

    def send_command(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_command", send_command)
    return sent


def test_the_token_alias_tracks_its_keys_on_redis():
    options = settings.CACHES["tokens"]["OPTIONS"]
    assert options["protocol"] == 3 and options["cache_config"] is not None
    assert settings.CACHES["tokens"]["BACKEND"] == "config.cache.RedisCache"
    assert "OPTIONS" not in settings.CACHES["default"]  # nothing else is tracked


def test_a_cached_token_is_answered_from_the_workers_memory(users, worker, round_trips, django_assert_num_queries):
    key = issue_token(users["resident"]).key
    worker(key)  # read from the database, written to Redis, read back into memory on the next request
    worker(key)
    assert _local_entries(worker.cache) == 1
    round_trips.clear()
    with django_assert_num_queries(0):
        for _ in range(5):
            user, _token = worker(key)
    assert user == users["resident"]
    assert round_trips == []  # no GET: the invalidations were read from the socket, nothing was sent


def test_a_revoke_by_another_process_reaches_a_worker_that_holds_the_token(users, worker,
                                                                           django_capture_on_commit_callbacks):
    key = issue_token(users["street_office"]).key
    worker(key)
    worker(key)
    assert _local_entries(worker.cache) == 1
    with django_capture_on_commit_callbacks(execute=True):
        revoke_tokens(users["street_office"])  # the tombstone, written through this process's own pool
    with pytest.raises(AuthenticationFailed):
        worker(key)


def test_a_write_followed_by_another_is_seen_by_the_next_read_of_every_worker():
    """Raw, as a revoke writes (`_forget`: the tombstone in the transaction, again after the commit): once the
    second write has returned, Redis has sent the first one's invalidation to every tracking connection (it sends
    a turn's replies and pushes before it reads the next command), so the other worker's very next read answers the
    new value — no sleep, many times over. (After a single write the push may still be on its way for some
    microseconds: ADR 0011.)"""
    writer, reader = _worker(), _worker()
    try:
        for i in range(300):
            writer.set("tracking-probe", i, 60)
            writer.set_many({"tracking-probe": i}, 60)
            assert reader.get("tracking-probe") == i
            assert reader.get("tracking-probe") == i  # the second read is the local one
        writer.delete("tracking-probe")
        writer.delete("tracking-probe")
        assert reader.get("tracking-probe") is None
    finally:
        for backend in (writer, reader):
            backend._cache.get_client().connection_pool.disconnect()


def test_a_deactivated_user_is_refused_by_a_worker_that_holds_the_token(users, worker,
                                                                         django_capture_on_commit_callbacks):
    user = users["community_office"]
    key = issue_token(user).key
    worker(key)
    worker(key)
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()
    with pytest.raises(AuthenticationFailed):
        worker(key)


def test_the_lifetime_is_checked_on_a_token_held_in_memory(users, worker, monkeypatch, django_assert_num_queries):
    key = issue_token(users["resident"]).key
    worker(key)
    worker(key)
    later = timezone.now() + datetime.timedelta(hours=25)
    monkeypatch.setattr(tokens.timezone, "now", lambda: later)
    with django_assert_num_queries(0), pytest.raises(AuthenticationFailed) as refused:
        worker(key)
    assert refused.value.detail == str(tokens.TOKEN_EXPIRED)


def test_a_token_read_before_its_revoke_committed_is_not_put_back(users, worker, django_capture_on_commit_callbacks):
    key = issue_token(users["street_office"]).key
    stale = Token.objects.select_related("user").get(key=key)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_tokens(users["street_office"])
    assert worker.cache.add(_cache_key(key), stale) is False  # the other worker cannot overwrite the tombstone
    with pytest.raises(AuthenticationFailed):
        worker(key)


def test_losing_the_connection_empties_the_workers_memory(users, worker):
    """Invalidations missed while disconnected cannot be replayed: redis-py drops the local entries with the
    connection, and the next request reads Redis again."""
    key = issue_token(users["resident"]).key
    worker(key)
    worker(key)
    assert _local_entries(worker.cache) == 1
    worker.cache._cache.get_client().connection_pool.disconnect()
    assert _local_entries(worker.cache) == 0
    assert worker(key)[0] == users["resident"]


def test_the_process_alias_is_the_one_the_authentication_uses():
    assert tokens._cache() is caches["tokens"]
