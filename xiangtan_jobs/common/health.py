"""Health checks for the load balancer and monitoring (django-health-check).

``/healthz/`` stays the cheap liveness check (the process answers; no database, no broker).
``/health/ready/`` says whether this web host can serve: database, cache, broker.
``/health/`` adds the background work: a worker heartbeat (a beat task stamps it every minute,
so a fresh stamp proves beat, broker and a worker all run) and the length of the task queue.
Both answer JSON, 200 when every check passes and 503 otherwise (a load balancer takes a 503
host out of rotation; a 500 would read as a crash).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis import Redis as SyncRedis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

HEARTBEAT_CACHE_KEY = "ops:worker-heartbeat"
# Kombu's Redis transport keeps a queue's prioritised messages in these sibling lists.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def _heartbeat_file() -> Path:
    return Path(settings.VAR_DIR) / "worker-heartbeat.json"


def heartbeat_stamp(*, now: float | None = None) -> None:
    """Record that a worker ran the beat's heartbeat task (Redis when shared, else a file)."""
    payload = {"at": time.time() if now is None else now, "host": socket.gethostname()}
    if settings.REDIS_URL:
        # Every web host reads the one Redis; a day's expiry keeps no stale key for ever.
        cache.set(HEARTBEAT_CACHE_KEY, payload, timeout=24 * 3600)
    else:
        # The embedded default: the worker and the web server share this machine's var/.
        path = _heartbeat_file()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        tmp.replace(path)


def heartbeat_read() -> dict[str, Any] | None:
    """The last heartbeat ({"at": epoch seconds, "host": name}), or None if there is none."""
    if settings.REDIS_URL:
        value = cache.get(HEARTBEAT_CACHE_KEY)
        return value if isinstance(value, dict) else None
    try:
        value = json.loads(_heartbeat_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each watched Celery queue (settings.HEALTH_QUEUES), read from the broker."""
    url = str(settings.CELERY_BROKER_URL)
    names = list(settings.HEALTH_QUEUES)
    if url.startswith(("redis://", "rediss://")):
        client = SyncRedis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            pipe = client.pipeline()
            for name in names:
                for suffix in _PRIORITY_SUFFIXES:
                    pipe.llen(name + suffix)
            counts = pipe.execute()
        finally:
            client.close()
        step = len(_PRIORITY_SUFFIXES)
        return {name: sum(counts[i * step : (i + 1) * step]) for i, name in enumerate(names)}
    if url.startswith("filesystem://"):
        # Kombu's file transport: one file "<time>_<id>.<queue>.msg" per waiting message.
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
        files = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        return {name: sum(1 for f in files if f.endswith(f".{name}.msg")) for name in names}
    raise ServiceUnavailable(f"unknown broker {url.split(':', 1)[0]}")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker answers: Redis is pinged; the file-system broker's folder is writable."""

    def _url(self) -> str:
        return str(settings.CELERY_BROKER_URL)

    async def run(self) -> None:
        url = self._url()
        if url.startswith(("redis://", "rediss://")):
            check = Redis(client_factory=lambda: AsyncRedis.from_url(url, socket_connect_timeout=1, socket_timeout=1))
            await check.run()
            return
        if url.startswith("filesystem://"):
            await sync_to_async(self._check_folder, thread_sensitive=False)()
            return
        raise ServiceUnavailable(f"unknown broker {url.split(':', 1)[0]}")

    def _check_folder(self) -> None:
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
        probe = folder / f".health-{socket.gethostname()}"
        try:
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise ServiceUnavailable("file broker folder is not writable") from exc


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A worker ran the beat's heartbeat task recently (settings.HEALTH_HEARTBEAT_MAX_AGE)."""

    def run(self) -> None:
        beat = heartbeat_read()
        if beat is None:
            raise ServiceUnavailable("no worker heartbeat yet (are beat and a worker running?)")
        age = time.time() - float(beat.get("at", 0))
        if age > settings.HEALTH_HEARTBEAT_MAX_AGE:
            raise ServiceUnavailable(f"last worker heartbeat {age:.0f} s ago (stale)")


@dataclasses.dataclass
class QueueLength(HealthCheck):
    """No watched queue holds more than settings.HEALTH_QUEUE_MAX waiting tasks."""

    def run(self) -> None:
        try:
            lengths = queue_lengths()
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("cannot read the queue length from the broker") from exc
        over = {name: n for name, n in lengths.items() if n > settings.HEALTH_QUEUE_MAX}
        if over:
            listed = ", ".join(f"{name}={n}" for name, n in over.items())
            raise ServiceUnavailable(f"queue backlog over {settings.HEALTH_QUEUE_MAX}: {listed}")


READY_CHECKS: dict[str, type[HealthCheck]] = {"database": Database, "cache": Cache, "broker": Broker}
ALL_CHECKS: dict[str, type[HealthCheck]] = {**READY_CHECKS, "worker": WorkerHeartbeat, "queue": QueueLength}


class HealthView(HealthCheckView):
    """The checks' results as JSON: {"status": "ok"|"fail", "checks": {name: {...}}}; 503 on a failure."""

    named_checks: dict[str, type[HealthCheck]] = ALL_CHECKS

    def get_checks(self) -> Iterator[HealthCheck]:
        for check in self.named_checks.values():
            yield check()

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        checks = {
            name: {
                "ok": result.error is None,
                "detail": "OK" if result.error is None else str(result.error),
                "seconds": round(result.time_taken, 4),
            }
            for name, result in zip(self.named_checks, results, strict=True)
        }
        failed = any(not c["ok"] for c in checks.values())
        body = {"status": "fail" if failed else "ok", "checks": checks}
        return JsonResponse(body, status=503 if failed else 200, json_dumps_params={"ensure_ascii": False})


class ReadyView(HealthView):
    named_checks = READY_CHECKS
