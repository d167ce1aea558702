"""Owed work: the database is the truth of the matching still to do. A change writes its row in its
own transaction, the broker's message is only a wake-up, and the sweeper runs what a lost message
or a dead worker left; a rolled-back change leaves neither a row nor a message."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from celery import current_app
from django.db import DatabaseError, OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

import matching.tasks
from matching.models import Match
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.common.models import DeadLetter, OwedTask
from xiangtan_jobs.common.owed import OWED_DEAD_AFTER, OWED_GRACE, OWED_STALE, enqueue_owed, owed_run, owed_sweep
from xiangtan_jobs.core.services import posting_expire_overdue, posting_publish, registration_set_paused

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Every publish to the broker fails, as with Redis away: the wake-up messages are lost."""
    tried: list[str] = []

    def refuse(name, args=None, **kw):
        tried.append(name)
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(current_app, "send_task", refuse)
    return tried


@pytest.fixture
def sent(monkeypatch):
    out: list[tuple[str, list]] = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args=None, **kw: out.append((name, args)))
    return out


def later(minutes: float = 2) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_posting_whose_wake_up_was_lost_is_matched_by_the_sweeper(
    ref, broker_down, django_capture_on_commit_callbacks
):
    seeker = SeekerFactory(skills=[("保洁员", 4, False)])
    posting = PostingFactory(status="draft", published_at=None, skills=[("保洁员", True, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        posting_publish(posting=posting, actor=None)
    assert broker_down == ["matching.match_posting"]  # tried, and lost
    assert not Match.objects.filter(posting=posting).exists()
    assert OwedTask.objects.filter(task="matching.match_posting", object_id=posting.pk).exists()

    assert owed_sweep(now=timezone.now()) == 0  # within the grace: left to its message
    assert owed_sweep(now=later()) == 1
    assert Match.objects.filter(posting=posting, seeker=seeker, is_current=True).exists()
    assert not OwedTask.objects.exists()
    assert owed_sweep(now=later()) == 0


def test_a_seeker_change_whose_wake_up_was_lost_is_matched_by_the_sweeper(
    ref, broker_down, django_capture_on_commit_callbacks
):
    seeker = SeekerFactory(user=UserFactory(), skills=[("保洁员", 4, False)])
    posting = PostingFactory(skills=[("保洁员", True, 1)])
    matching.tasks.match_posting(posting.pk)
    assert Match.objects.filter(seeker=seeker, is_current=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        registration_set_paused(registration=seeker, actor=seeker.user, paused=True)
    assert broker_down == ["matching.match_seeker"]
    assert Match.objects.filter(seeker=seeker, is_current=True).exists()  # still shown: owed
    owed_sweep(now=later())
    assert not Match.objects.filter(seeker=seeker, is_current=True).exists()
    assert not OwedTask.objects.exists()


def test_expired_postings_are_owed_one_by_one_and_a_lost_batch_is_swept(
    ref, broker_down, django_capture_on_commit_callbacks
):
    postings = [PostingFactory(skills=[("保洁员", True, 1)]) for _ in range(3)]
    SeekerFactory(skills=[("保洁员", 4, False)])
    for p in postings:
        matching.tasks.match_posting(p.pk)
    type(postings[0]).objects.filter(pk__in=[p.pk for p in postings]).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert posting_expire_overdue() == 3
    assert broker_down == ["matching.match_postings"]
    assert OwedTask.objects.filter(task="matching.match_posting").count() == 3
    assert owed_sweep(now=later()) == 3
    assert not Match.objects.filter(is_current=True).exists()


def test_a_rolled_back_change_queues_nothing_and_owes_nothing(ref, sent, django_capture_on_commit_callbacks):
    posting = PostingFactory(status="draft", published_at=None, skills=[("保洁员", True, 1)])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        posting_publish(posting=posting, actor=None)
        raise RuntimeError("the request failed after the publish")
    assert sent == []
    assert not OwedTask.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        posting_publish(posting=posting, actor=None)
    assert sent == [("matching.match_posting", [posting.pk])]


def test_a_change_made_while_the_work_runs_keeps_it_owed(ref):
    with transaction.atomic():
        enqueue_owed("matching.match_posting", 7)
    with owed_run("matching.match_posting", 7):
        assert OwedTask.objects.get(object_id=7).claimed_at is not None
        enqueue_owed("matching.match_posting", 7)  # committed while the worker reads old rows
    row = OwedTask.objects.get(object_id=7)
    assert row.claimed_at is None  # released, owed again
    with owed_run("matching.match_posting", 7):
        pass
    assert not OwedTask.objects.exists()


def test_a_dead_workers_claim_is_run_again_once_stale(ref):
    posting = PostingFactory(skills=[("保洁员", True, 1)])
    enqueue_owed("matching.match_posting", posting.pk)
    OwedTask.objects.update(claimed_at=timezone.now())  # a worker took it, then was killed
    assert owed_sweep(now=later(1)) == 0  # it may still be running
    assert owed_sweep(now=timezone.now() + OWED_STALE + dt.timedelta(seconds=1)) == 1
    assert not OwedTask.objects.exists()


def test_failing_work_backs_off_and_becomes_a_dead_letter(ref, monkeypatch):
    enqueue_owed("matching.match_posting", 99)

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(matching.tasks.services, "matching_run_posting", broken)
    moment = timezone.now()
    for attempt in range(1, OWED_DEAD_AFTER + 1):
        moment += dt.timedelta(hours=2)
        with time_machine.travel(moment, tick=False):
            assert owed_sweep() == 1
            row = OwedTask.objects.get()
            assert row.attempts == attempt and row.claimed_at is None
            assert row.run_after == moment + dt.timedelta(minutes=2 ** (attempt - 1))
            assert owed_sweep(now=row.run_after - dt.timedelta(seconds=1)) == 0  # not before its delay
    letter = DeadLetter.objects.get()
    assert letter.task == "matching.match_posting" and letter.args == "(99)"
    assert "OperationalError" in letter.error
    assert OwedTask.objects.exists()  # still owed: retried hourly once the cause is fixed


def test_the_sweeps_claims_skip_rows_another_sweep_holds(ref):
    enqueue_owed("matching.match_posting", 1)
    enqueue_owed("matching.match_posting", 2)
    from xiangtan_jobs.common.owed import _claim_next

    first = _claim_next(later())
    second = _claim_next(later())
    assert {first.object_id, second.object_id} == {1, 2}
    assert _claim_next(later()) is None  # both claimed


def test_grace_and_stale_claims_fit_the_tasks_time_limits():
    from xiangtan_jobs.common.taskdb import task_time_limits

    for name in ("matching.match_posting", "matching.match_seeker"):
        _soft, hard = task_time_limits(current_app.tasks[name])
        assert dt.timedelta(seconds=hard) < OWED_STALE
    assert dt.timedelta(minutes=1) > OWED_GRACE


def test_database_errors_are_retried_by_celery_for_minutes_not_seconds():
    from celery.utils.time import get_exponential_backoff_interval

    for name, task in current_app.tasks.items():
        if not name.startswith("matching.") or not getattr(task, "autoretry_for", None):
            continue
        assert DatabaseError in task.autoretry_for and BrokerError in task.autoretry_for, name
        assert task.retry_jitter is False, name
        delays = [
            get_exponential_backoff_interval(task.retry_backoff, n, task.retry_backoff_max, task.retry_jitter)
            for n in range(task.max_retries)
        ]
        assert sum(delays[:3]) >= 60, name  # a 30 s blip, twice over
        assert sum(delays) >= 15 * 60, name
