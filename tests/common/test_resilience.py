"""Redis away: pages are served without the cache (never a 500), and queued work that cannot
reach the broker is logged instead of failing the request that saved the data."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings
from kombu.exceptions import OperationalError
from pytest_django.asserts import assertContains

from tests.factories import PostingFactory
from xiangtan_jobs.common import tasks as common_tasks
from xiangtan_jobs.common.cache import ResilientRedisCache
from xiangtan_jobs.core.selectors import reference_data_forget

# Port 1 on loopback: nothing listens there, so every connection is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "xiangtan_jobs.common.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture(autouse=True)
def fresh_breaker():
    ResilientRedisCache._down_until = 0.0
    yield
    ResilientRedisCache._down_until = 0.0


def test_every_cache_call_answers_like_a_miss_when_redis_is_away(caplog):
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    with caplog.at_level(logging.WARNING, logger="xiangtan_jobs.common.cache"):
        assert cache.get("k", "fallback") == "fallback"
        cache.set("k", 1, 60)
        assert cache.add("k", 1) is False
        assert cache.incr("k") is None  # django-ratelimit then refuses: it fails closed
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.delete("k") is False and cache.has_key("k") is False and cache.touch("k") is False
        cache.delete_many(["a"])
        cache.clear()
    # Logged once for the outage, not once a call; later calls skip Redis for a few seconds.
    assert [r.getMessage() for r in caplog.records].count(
        "Redis cache unavailable (ConnectionError); serving without it"
    ) == 1
    assert ResilientRedisCache._down_until > 0


def test_a_reachable_redis_is_used_and_a_recovery_is_noticed(settings, caplog):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (CI runs with Redis)")
    cache = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "resilience-test"})
    ResilientRedisCache._down_until = 1.0  # an outage that has passed (monotonic time long ago)
    with caplog.at_level(logging.WARNING, logger="xiangtan_jobs.common.cache"):
        cache.set("k", 41, 60)
    assert "Redis cache reachable again" in caplog.text and ResilientRedisCache._down_until == 0.0
    assert cache.incr("k") == 42 and cache.get("k") == 42
    cache.delete("k")


@pytest.mark.django_db
def test_public_pages_and_the_code_login_work_without_redis(client, ref):
    PostingFactory(title="小区保洁员")
    with override_settings(CACHES=DEAD_REDIS):
        reference_data_forget()
        try:
            for url in ("/", "/jobs/", "/jobs/?q=保洁", "/markets/", "/accounts/login/sms/"):
                response = client.get(url)
                assert response.status_code == 200, url
            assert "小区保洁员" in client.get("/jobs/?q=保洁").content.decode()
            # Rate limits cannot be counted: the code login refuses politely instead of failing.
            response = client.post("/accounts/login/sms/", {"phone": "13912345678"})
            assert response.status_code == 429
            assertContains(response, "操作太频繁了，请 1 小时后再试", status_code=429)
        finally:
            caches["default"].close()
            reference_data_forget()


@pytest.mark.django_db
def test_work_that_cannot_reach_the_broker_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(common_tasks.current_app, "send_task", broker_down)
    with (
        caplog.at_level(logging.ERROR, logger="xiangtan_jobs.common.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        common_tasks.enqueue("matching.match_posting", 7)
    assert "Could not queue matching.match_posting (OperationalError): broker unavailable" in caplog.text


def test_clearing_the_cache_leaves_the_brokers_queues_beside_it(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (CI runs with Redis)")
    cache = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "clear-test"})
    client = cache._cache.get_client(write=True)
    client.set("celery-queue-stand-in", "a task message")
    cache.set("k", 1, 60)
    try:
        cache.clear()
        assert cache.get("k") is None
        assert client.get("celery-queue-stand-in") == b"a task message"
    finally:
        client.delete("celery-queue-stand-in")
