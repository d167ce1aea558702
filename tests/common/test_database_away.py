"""The database away (a restart, a failover, a 30 s blip): every page answers a clean 503 page in
Chinese with Retry-After, the API its JSON error, never a traceback or a 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from tests.factories import PostingFactory, UserFactory


@pytest.fixture
def database_away(monkeypatch):
    def run(error=OperationalError):
        def fail(self, *args, **kwargs):
            raise error("connection to server failed: Connection refused")

        monkeypatch.setattr(CursorWrapper, "execute", fail)
        monkeypatch.setattr(CursorWrapper, "executemany", fail)

    return run


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/jobs/", "/jobs/?q=保洁", "/markets/", "/me/", "/register/", "/admin/"])
def test_pages_answer_a_clean_503_in_chinese(ref, database_away, url):
    PostingFactory(title="小区保洁员")
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())  # a logged-in seeker: the session and the user are read too
    database_away()
    response = client.get(url)
    assert response.status_code == 503, url
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "系统正在维护，请稍后再试" in page and '<html lang="zh-CN">' in page
    assert "Traceback" not in page and "OperationalError" not in page and "5432" not in page


@pytest.mark.django_db
def test_a_post_and_the_api_answer_503_too(ref, database_away):
    client = Client(raise_request_exception=False)
    database_away(InterfaceError)
    response = client.post("/accounts/login/", {"username": "13800000001", "password": "x"})
    assert response.status_code == 503
    api = client.get("/api/v1/jobs/", HTTP_ACCEPT="application/json")
    assert api.status_code == 503
    assert api.json() == {"detail": "系统正在维护，请稍后再试", "code": "unavailable", "errors": {}}


@pytest.mark.django_db
def test_other_errors_stay_a_plain_500(ref, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = Client(raise_request_exception=False).get("/jobs/")
    assert response.status_code == 500
    assert "系统正在维护" not in response.content.decode()
