"""The load balancer's health endpoints: /healthz/ (alive), /health/ready/ (can serve), /health/ (all)."""

from __future__ import annotations

import time
import uuid

import pytest
from celery import current_app
from django.core.cache import cache

from xiangtan_jobs.common.health import HEARTBEAT_CACHE_KEY, heartbeat_read, heartbeat_stamp, queue_lengths
from xiangtan_jobs.common.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_heartbeat(settings, tmp_path):
    # Each test starts without a heartbeat: its own var/ (file broker mode), its own cache key.
    settings.VAR_DIR = tmp_path
    cache.delete(HEARTBEAT_CACHE_KEY)
    yield
    cache.delete(HEARTBEAT_CACHE_KEY)


def checks_of(response) -> dict[str, bool]:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == ("ok" if response.status_code == 200 else "fail")
    return {name: check["ok"] for name, check in body["checks"].items()}


def test_liveness_is_cheap(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200


def test_all_healthy_once_a_worker_ran_the_heartbeat(client):
    heartbeat()  # what the beat queues every minute, as the worker runs it
    assert heartbeat_read() is not None
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    assert checks_of(response) == {"database": True, "cache": True, "broker": True, "worker": True, "queue": True}


def test_no_heartbeat_is_unhealthy(client):
    response = client.get("/health/")
    assert response.status_code == 503
    checks = checks_of(response)
    assert checks["worker"] is False
    assert checks["database"] and checks["broker"]
    assert "heartbeat" in response.json()["checks"]["worker"]["detail"]


def test_stale_heartbeat_is_unhealthy(client, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 180
    heartbeat_stamp(now=time.time() - 181)
    response = client.get("/health/")
    assert response.status_code == 503
    assert checks_of(response)["worker"] is False
    assert "stale" in response.json()["checks"]["worker"]["detail"]
    heartbeat_stamp(now=time.time() - 170)
    assert client.get("/health/").status_code == 200


def test_queue_backlog_is_unhealthy(client, settings):
    queue = f"health-test-{uuid.uuid4().hex[:8]}"
    settings.HEALTH_QUEUES = [queue]
    settings.HEALTH_QUEUE_MAX = 2
    heartbeat()
    try:
        for _ in range(3):
            current_app.send_task("common.heartbeat", queue=queue)
        assert queue_lengths() == {queue: 3}
        response = client.get("/health/")
        assert response.status_code == 503
        assert checks_of(response)["queue"] is False
        assert f"{queue}=3" in response.json()["checks"]["queue"]["detail"]
        settings.HEALTH_QUEUE_MAX = 3
        assert client.get("/health/").status_code == 200
    finally:
        with current_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)


def test_broker_away_fails_readiness(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert checks_of(response) == {"database": True, "cache": True, "broker": False}


def test_cache_that_keeps_nothing_fails_readiness(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert checks_of(response)["cache"] is False


def test_readiness_ignores_the_worker(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert set(checks_of(response)) == {"database", "cache", "broker"}


def test_beat_stamps_the_heartbeat_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == heartbeat.name == "common.heartbeat"
    assert entry["schedule"] <= 60
    assert entry["schedule"] * 2 < settings.HEALTH_HEARTBEAT_MAX_AGE
