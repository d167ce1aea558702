from __future__ import annotations

import pytest
from celery import current_app


@pytest.fixture
def broker(monkeypatch):
    """Every message sent to the broker, recorded as (name, args, kwargs) as it would travel, then run
    at once like a worker would."""
    import matching.tasks  # noqa: F401 - registers the tasks by name
    import xiangtan_jobs.core.tasks  # noqa: F401

    sent: list[tuple[str, list[object], dict[str, object]]] = []

    def send_task(name: str, args: list[object] | None = None, kwargs: dict | None = None, **options: object):
        sent.append((name, list(args or []), dict(kwargs or {})))
        current_app.tasks[name](*(args or []), **(kwargs or {}))

    monkeypatch.setattr("celery.current_app.send_task", send_task)
    return sent


@pytest.fixture(autouse=True)
def _fresh_limits(db):
    """Each test counts its rate limits from zero (they live in the cache)."""
    from django.core.cache import cache

    from xiangtan_jobs.core.selectors import reference_data_forget

    cache.clear()
    reference_data_forget()
    yield
    reference_data_forget()
