"""Prometheus metrics: requests, latencies and queries (django-prometheus), Celery tasks (signals),
queue lengths (read from the broker at scrape time), served at ``/metrics`` to allowed callers.

With several processes on one host (gunicorn workers, the Celery worker's children) set
``PROMETHEUS_MULTIPROC_DIR`` to one empty folder for all of them: ``/metrics`` then adds up every
process's counts (prometheus_client's multiprocess mode), the worker's tasks included.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun, task_retry
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from redis.exceptions import RedisError

from xiangtan_jobs.common.client_ip import client_ip

logger = logging.getLogger(__name__)

TASKS_PUBLISHED = Counter("celery_tasks_published_total", "Celery tasks sent to the broker", ["task"])
TASKS_FINISHED = Counter(
    "celery_tasks_total", "Celery tasks run by a worker, by outcome (succeeded, failed, retried)", ["task", "state"]
)
TASK_DURATION = Histogram(
    "celery_task_duration_seconds",
    "Run time of Celery tasks",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, float("inf")),
)

# task id -> start (monotonic); a worker child runs one task at a time, so this stays tiny.
_started: dict[str, float] = {}


@before_task_publish.connect(dispatch_uid="metrics.published")
def _published(sender: str | None = None, **kwargs: Any) -> None:
    TASKS_PUBLISHED.labels(task=str(sender)).inc()


@task_prerun.connect(dispatch_uid="metrics.prerun")
def _prerun(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _started[task_id] = time.monotonic()


@task_postrun.connect(dispatch_uid="metrics.postrun")
def _postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **kwargs: Any) -> None:
    name = getattr(task, "name", "unknown")
    start = _started.pop(task_id or "", None)
    if start is not None:
        TASK_DURATION.labels(task=name).observe(time.monotonic() - start)
    if state == "SUCCESS":
        TASKS_FINISHED.labels(task=name, state="succeeded").inc()


@task_failure.connect(dispatch_uid="metrics.failure")
def _failure(sender: Any = None, **kwargs: Any) -> None:
    TASKS_FINISHED.labels(task=getattr(sender, "name", "unknown"), state="failed").inc()


@task_retry.connect(dispatch_uid="metrics.retry")
def _retry(sender: Any = None, **kwargs: Any) -> None:
    TASKS_FINISHED.labels(task=getattr(sender, "name", "unknown"), state="retried").inc()


class QueueLengthCollector(Collector):
    """``celery_queue_length{queue}``: waiting messages per watched queue, read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from xiangtan_jobs.common.health import queue_lengths

        family = GaugeMetricFamily("celery_queue_length", "Messages waiting in the Celery queue", labels=["queue"])
        try:
            lengths = queue_lengths()
        except (RedisError, OSError) as exc:
            logger.warning("queue length unavailable for /metrics: %s", type(exc).__name__)
            lengths = {}
        for name, count in lengths.items():
            family.add_metric([name], count)
        yield family


def metrics_allowed(request: HttpRequest) -> bool:
    """A caller with the token (``Authorization: Bearer <METRICS_TOKEN>``), or from an allowed address."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    if not settings.CLIENT_IP_HEADER and any(
        h in request.headers for h in ("X-Forwarded-For", "X-Real-IP", "Forwarded")
    ):
        # Came through a proxy that did not say who the client is: the direct address (often the
        # proxy on loopback) says nothing about the caller.
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format for allowed callers; 403 for everyone else."""
    if not metrics_allowed(request):
        return HttpResponse("403 Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    page = generate_latest(registry) + generate_latest(_queue_registry)
    return HttpResponse(page, content_type=CONTENT_TYPE_LATEST)


_queue_registry = CollectorRegistry()
_queue_registry.register(QueueLengthCollector())
