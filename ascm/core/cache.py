"""The cache as a help, never a dependency: if Redis is down, reads miss and writes are skipped, so
sessions and what users may reach are read from the database and the service keeps working
(health reports the cache as down). Django's own Redis backend would raise on every request."""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:  # once a minute, not once a request
        _last_warning = time.monotonic()
        logger.warning("Cache unavailable (%s): reading from the database instead", type(error).__name__)


def _tolerant(name: str, default):
    def method(self, *args, **kwargs):
        from redis.exceptions import RedisError

        try:
            return getattr(super(TolerantRedisCache, self), name)(*args, **kwargs)
        except (RedisError, OSError) as error:
            _warn(error)
            return default() if callable(default) else default

    method.__name__ = name
    return method


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis (with its table of ~170 reply parsers) for every command:
    about 0.3 ms each, ten times a page. A client is only a handle on its pool and is thread-safe,
    so one per pool serves every command."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def get(self, key, default=None, version=None):
        from redis.exceptions import RedisError

        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as error:
            _warn(error)
            return default

    get_many = _tolerant("get_many", dict)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", list)
    add = _tolerant("add", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    touch = _tolerant("touch", False)
    has_key = _tolerant("has_key", False)
    clear = _tolerant("clear", None)

    def incr(self, key, delta=1, version=None):
        from redis.exceptions import RedisError

        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            _warn(error)
            return 0
