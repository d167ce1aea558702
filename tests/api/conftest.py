"""Fixtures of the API tests: clients by actor (session or token), tokens, two sites' data."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import EmployerFactory, PostingFactory, SeekerFactory
from xiangtan_jobs.core.models import ApiToken
from xiangtan_jobs.core.services import api_token_issue


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Tasks queued on commit are recorded instead of sent to a broker."""
    sent: list[tuple[str, list[object]]] = []
    monkeypatch.setattr("celery.current_app.send_task", lambda name, args=None, **kw: sent.append((name, args)))
    return sent


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached counts of one test never reach the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def issue(user, *, site=None, name: str = "对接系统") -> str:
    return api_token_issue(token=ApiToken(name=name, service_point=site), actor=user)


@pytest.fixture
def alice_key(alice, yuhu) -> str:
    """alice's token for 雨湖零工市场."""
    return issue(alice, site=yuhu, name="雨湖小程序")


@pytest.fixture
def bob_key(bob, yuetang_nursing) -> str:
    return issue(bob, site=yuetang_nursing, name="岳塘系统")


@pytest.fixture
def two_sites(yuhu, yuetang_nursing):
    """Site A (雨湖, alice's) and site B (岳塘护理, bob's): an employer, a posting, a seeker each."""
    out = {}
    for key, site in (("a", yuhu), ("b", yuetang_nursing)):
        employer = EmployerFactory(name=f"{site.name}保洁公司", service_point=site)
        posting = PostingFactory(employer=employer, service_point=site, title=f"{site.name}保洁")
        seeker = SeekerFactory(name="李桂兰", phone=f"1391111{2222 if key == 'a' else 3333}", service_point=site)
        out[key] = {"site": site, "employer": employer, "posting": posting, "seeker": seeker}
    return out
