"""Throttles: one budget per API token, one per logged-in account, one per client address; the
429 answers in the error format with Retry-After, and one budget never spends another's."""

from __future__ import annotations

import pytest

from tests.api.conftest import issue, session_client, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.API_THROTTLE_RATES = {"token": "3/minute", "user": "2/minute", "address": "2/minute"}


def _spend(client, n: int, url: str = "/api/v1/areas/", **extra) -> list[int]:
    return [client.get(url, **extra).status_code for _ in range(n)]


def test_address_budget(api, ref, rates):
    assert _spend(api, 3, REMOTE_ADDR="10.0.0.1") == [200, 200, 429]
    response = api.get("/api/v1/areas/", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and set(body) == {"detail", "code"}
    assert body["detail"].startswith("请求已被限流。")
    assert 0 < int(response["Retry-After"]) <= 60
    # Another address has its own budget.
    assert _spend(api, 1, REMOTE_ADDR="10.0.0.2") == [200]


def test_address_comes_from_the_proxy_header_when_set(api, ref, rates, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert _spend(api, 2, REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="1.2.3.4") == [200, 200]
    assert _spend(api, 1, REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="1.2.3.4") == [429]
    # Same proxy, another person behind it.
    assert _spend(api, 1, REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="5.6.7.8") == [200]


def test_token_budget_is_per_token_not_per_address(alice, bob, yuhu, yuetang_nursing, rates):
    first = token_client(issue(alice, site=yuhu))
    second = token_client(issue(alice, site=yuhu, name="第二个系统"))
    assert _spend(first, 4, "/api/v1/operator/postings/", REMOTE_ADDR="10.0.0.1") == [200, 200, 200, 429]
    # The same account's other token, from the same address, is not slowed down.
    assert _spend(second, 1, "/api/v1/operator/postings/", REMOTE_ADDR="10.0.0.1") == [200]
    # Public reads by a token count against the token (3), not the address (2).
    third = token_client(issue(bob, site=yuetang_nursing))
    assert _spend(third, 4, REMOTE_ADDR="10.0.0.1") == [200, 200, 200, 429]


def test_session_budget_is_per_account(dora, alice, rates):
    seeker = session_client(dora)
    assert _spend(seeker, 3, REMOTE_ADDR="10.0.0.1") == [200, 200, 429]
    # Another account from the same address has its own budget; so does the address itself.
    assert _spend(session_client(alice), 1, REMOTE_ADDR="10.0.0.1") == [200]


def test_english_throttle_message(api, ref, rates):
    _spend(api, 2, REMOTE_ADDR="10.0.0.3")
    response = api.get("/api/v1/areas/", REMOTE_ADDR="10.0.0.3", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled")
