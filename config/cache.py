"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per operation, and
the settings of the API token cache (ADR 0011).

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation; with redis-py 8 that
rebuilds its table of ~140 response callbacks each time (redis-py issue 3624) — about as much CPU as the round trip
itself. A `redis.Redis` over a pool is safe to share between threads, so one per pool is kept.

`token_cache_options()` are the OPTIONS of the `tokens` alias (core/tokens.py): RESP3 with redis-py's client-side
cache and server-assisted invalidation (`CLIENT TRACKING`): a token read once is served from the worker's memory
until Redis says its key changed (a revoke writes a tombstone there), so a token request makes no round trip.
"""

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.cache import CacheConfig
from redis.connection import CacheProxyConnection

# redis-py refuses client-side caching below Redis 7.4 "to maximize compatibility with all Redis products": Redis
# Software and Redis Cloud support it from 7.4, Redis Open Source has had key tracking with RESP3 invalidation
# pushes since 6.0 (redis.io, "client-side caching compatibility"). Debian 12's Redis (CI, development) is 7.0;
# production's image (docker-compose.yml, redis:7) is 7.4. 7.0 is what the tests run on (tests/security/
# test_token_cache.py): from 7.0 on, Redis sends a client the invalidation of a key it wrote itself after the
# write's reply, which is what redis-py expects.
TRACKING_MIN_REDIS = "7.0.0"
if tuple(map(int, CacheProxyConnection.MIN_ALLOWED_VERSION.split("."))) > (7, 0, 0):
    CacheProxyConnection.MIN_ALLOWED_VERSION = TRACKING_MIN_REDIS


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def token_cache_options(max_size: int) -> dict:
    """One connection per process (a `BlockingConnectionPool` of 1): redis-py's client-side cache, on a hit for an
    entry another connection of the pool read, drains that connection's socket for invalidations — which, were
    that connection busy in another thread, could take its reply. With one connection every entry is this
    connection's own; threads take turns on it (a hit holds it for microseconds)."""
    return {
        "protocol": 3,
        "cache_config": CacheConfig(max_size=max_size),
        "pool_class": redis.BlockingConnectionPool,
        "max_connections": 1,
        "timeout": 5,
    }
