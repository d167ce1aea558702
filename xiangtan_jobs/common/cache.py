"""Django's Redis cache, made to degrade instead of failing the request when Redis is away.

The portal keeps only derived things in the cache (counts of a search, reference lists, rate-limit
counters), so a Redis outage must cost speed, not pages: every call answers as a miss or a no-op
(and is logged once per outage), and after a failure the cache is skipped for a few seconds so
that requests do not each wait for a connection timeout. Rate limits then count nothing and
django-ratelimit refuses (fails closed): the SMS-code login asks the seeker to wait, the password
login is not limited by the cache at all.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, how long every call skips Redis before trying it again.
RETRY_AFTER_SECONDS = 5.0


class ResilientRedisCache(RedisCache):
    """RedisCache whose calls answer like a miss while Redis cannot be reached."""

    _down_until = 0.0  # per process: monotonic time until which Redis is not tried

    def _call(self, name: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        return self._guarded(getattr(super(), name), default, *args, **kwargs)

    def _guarded(self, fn: Any, default: Any, *args: Any, **kwargs: Any) -> Any:
        cls = ResilientRedisCache
        if cls._down_until and time.monotonic() < cls._down_until:
            return default
        try:
            result = fn(*args, **kwargs)
        except (RedisError, OSError) as exc:
            if not cls._down_until:
                logger.warning("Redis cache unavailable (%s); serving without it", type(exc).__name__)
            cls._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            return default
        if cls._down_until:
            logger.warning("Redis cache reachable again")
            cls._down_until = 0.0
        return result

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", default, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> Any:
        return self._call("get_many", {}, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> Any:
        return self._call("has_key", False, key, version)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> Any:
        return self._call("add", False, key, value, timeout, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> Any:
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> Any:
        return self._call("touch", False, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> Any:
        return self._call("delete", False, key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call("delete_many", None, keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        # None, like a counter that could not be read: django-ratelimit then limits (fails closed).
        return self._call("incr", None, key, delta, version)

    def clear(self) -> None:
        """Delete this cache's own keys (its KEY_PREFIX), never the whole Redis database: the
        Celery broker's queues may live in the same database (Django's clear() is FLUSHDB)."""
        if not self.key_prefix:
            self._call("clear", None)
            return
        self._guarded(self._delete_prefixed, None)

    def _delete_prefixed(self) -> None:
        client = self._cache.get_client(write=True)  # type: ignore[attr-defined]  # Django's RedisCache keeps its client there, untyped
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
