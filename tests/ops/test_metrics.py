"""Prometheus metrics at /metrics: requests, latencies, queries, Celery tasks and queue lengths,
for allowed addresses or a token only."""

from __future__ import annotations

import re
import uuid

import pytest
from celery import current_app
from prometheus_client.parser import text_string_to_metric_families

from xiangtan_jobs.common.tasks import heartbeat

pytestmark = pytest.mark.django_db


def scrape(client, **extra) -> dict[str, float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    return samples


def value(samples: dict[str, float], pattern: str) -> float:
    return sum(v for k, v in samples.items() if re.fullmatch(pattern, k))


def test_requests_latencies_and_queries_are_counted(client):
    before = scrape(client)
    client.get("/jobs/")
    client.get("/jobs/")
    after = scrape(client)
    by_view = r"django_http_requests_total_by_view_transport_method_total\{.*view=portal:posting-list\}"
    assert value(after, by_view) - value(before, by_view) == 2
    latency = r"django_http_requests_latency_seconds_by_view_method_count\{.*view=portal:posting-list\}"
    assert value(after, latency) - value(before, latency) == 2
    assert value(after, r"django_db_execute_total\{.*\}") > value(before, r"django_db_execute_total\{.*\}")


def test_celery_tasks_counted_with_their_durations(client):
    before = scrape(client)
    heartbeat.apply()  # runs through the worker's signals, in this process
    after = scrape(client)
    done = r"celery_tasks_total\{state=succeeded,task=common.heartbeat\}"
    assert value(after, done) - value(before, done) == 1
    duration = r"celery_task_duration_seconds_count\{task=common.heartbeat\}"
    assert value(after, duration) - value(before, duration) == 1


def test_queue_length_and_published_tasks(client, settings):
    queue = f"metrics-test-{uuid.uuid4().hex[:8]}"
    settings.HEALTH_QUEUES = [queue]
    before = scrape(client)
    try:
        current_app.send_task("common.heartbeat", queue=queue)
        current_app.send_task("common.heartbeat", queue=queue)
        after = scrape(client)
    finally:
        with current_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
    assert after[f"celery_queue_length{{queue={queue}}}"] == 2
    sent = r"celery_tasks_published_total\{task=common.heartbeat\}"
    assert value(after, sent) - value(before, sent) == 2


def test_refused_from_another_address(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 403


def test_refused_through_a_proxy_that_does_not_name_the_client(client):
    # The proxy on loopback forwarding an outside request: the direct address proves nothing.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403


def test_allowed_network_and_token(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics").status_code == 403  # loopback no longer listed
    settings.METRICS_TOKEN = "s3cret-token"
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", **outside).status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 403


def test_no_token_set_means_no_token_accepted(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 403
