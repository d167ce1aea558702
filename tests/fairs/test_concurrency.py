"""Capacity under concurrent sign-ups: several threads, each with its own database connection,
race for the last places of a day; the session row's lock lets exactly `capacity` of them in."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from fairs.models import FairSignup
from fairs.services import signup_create
from tests.factories import SeekerFactory, UserFactory
from tests.fairs.conftest import make_fair

THREADS = 8
CAPACITY = 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_capacity(frozen_clock, yuhu):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite locks the whole file")
    fair = make_fair(site=yuhu, days=(2,), capacity=CAPACITY)
    session = fair.sessions.get()
    seekers = [SeekerFactory(user=UserFactory()) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign_up(seeker) -> None:
        try:
            barrier.wait()
            signup_create(session=session, seeker=seeker, actor=seeker.user)
            result = "ok"
        except ValidationError as exc:
            result = exc.code or "error"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sign_up, args=(s,)) for s in seekers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["full"] * (THREADS - CAPACITY) + ["ok"] * CAPACITY
    assert FairSignup.objects.filter(session=session).count() == CAPACITY
