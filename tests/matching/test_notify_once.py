"""Seekers are texted once: the notification locks each seeker's best match (a notify running at the
same time skips them), and the outbox's key, one per seeker a day, keeps a rerun after a kill from
texting anyone twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from matching.models import Match
from matching.services import matching_run_seeker, seekers_notify
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox


@pytest.fixture
def two_told(settings, ref):
    settings.NOTIFY_MIN_SCORE = 0
    settings.NOTIFY_QUIET_HOURS = ""
    seekers = [SeekerFactory(user=UserFactory()), SeekerFactory()]
    PostingFactory()
    for seeker in seekers:
        matching_run_seeker(seeker_id=seeker.pk, now=NOON)
    Match.objects.update(notified_at=None)
    SmsOutbox.objects.all().delete()
    InboxMessage.objects.all().delete()
    return seekers


@pytest.mark.django_db
def test_a_rerun_after_a_kill_texts_nobody_twice(two_told):
    assert seekers_notify(seeker_ids=None, now=NOON) == 2
    assert SmsOutbox.objects.filter(purpose="recommendation").count() == 2
    # A kill after the SMS rows were written but before the matches were marked (or a second notify
    # that read the same candidates): the rerun finds the day's keys used.
    Match.objects.update(notified_at=None)
    seekers_notify(seeker_ids=None, now=NOON)
    assert SmsOutbox.objects.filter(purpose="recommendation").count() == 2
    assert InboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_seeker_held_by_another_notify_is_skipped(two_told):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    held_seeker = two_told[0]
    best = Match.objects.filter(seeker=held_seeker).order_by("-score", "posting_id").first()
    locked, release = threading.Event(), threading.Event()

    def other_notify() -> None:
        with transaction.atomic():
            Match.objects.select_for_update().filter(pk=best.pk).get()
            locked.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_notify)
    thread.start()
    try:
        assert locked.wait(30)
        assert seekers_notify(seeker_ids=None, now=NOON) == 1  # the other seeker only
        assert not SmsOutbox.objects.filter(dedupe_key__contains=f":{held_seeker.pk}:").exists()
    finally:
        release.set()
        thread.join(30)
    assert seekers_notify(seeker_ids=None, now=NOON) == 1  # released: now told, once
    assert SmsOutbox.objects.filter(purpose="recommendation").count() == 2
