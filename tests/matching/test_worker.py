"""Publishing a posting through the service reaches stored matches and an inbox message through a
real worker process on the configured broker."""

from __future__ import annotations

import time
import uuid

import pytest
from celery import current_app

from matching.models import Match
from matching.services import matching_run_posting
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from tests.test_celery_worker import start_worker
from xiangtan_jobs.core.models import InboxMessage
from xiangtan_jobs.core.services import posting_close, posting_publish


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_publish_leads_to_matches_and_inbox_through_real_worker(ref, tmp_path):
    user = UserFactory()
    seeker = SeekerFactory(user=user, skills=[("保洁员", 4, False)])
    posting = PostingFactory(status="draft", published_at=None, skills=[("保洁员", True, 1)])
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    log_file = log.open("wb")
    worker = start_worker(queue, log_file, NOTIFY_QUIET_HOURS="", NOTIFY_MIN_SCORE="0")
    previous = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = queue
    try:
        started = time.monotonic()
        posting_publish(posting=posting, actor=None)  # commits; the task is queued on commit
        while time.monotonic() - started < 90:
            if InboxMessage.objects.filter(user=user).exists():
                break
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        else:
            pytest.fail("no match reached the inbox:\n" + log.read_text(errors="replace")[-3000:])
    finally:
        current_app.conf.task_default_queue = previous
        worker.terminate()
        worker.wait(timeout=30)
        log_file.close()
    match = Match.objects.get(posting=posting, seeker=seeker)
    assert match.is_current and match.reasons and match.notified_at is not None
    assert "matching.match_posting" in log.read_text(errors="replace")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_closed_posting_leaves_the_recommendations_through_real_worker(ref, tmp_path):
    seeker = SeekerFactory(skills=[("保洁员", 4, False)])
    posting = PostingFactory(skills=[("保洁员", True, 1)])
    matching_run_posting(posting_id=posting.pk)
    assert Match.objects.filter(posting=posting, seeker=seeker, is_current=True).exists()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    log_file = log.open("wb")
    worker = start_worker(queue, log_file, NOTIFY_QUIET_HOURS="")
    previous = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = queue
    try:
        started = time.monotonic()
        posting_close(posting=posting, actor=None)  # commits; matching is queued on commit
        while time.monotonic() - started < 90:
            if not Match.objects.filter(posting=posting, is_current=True).exists():
                break
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        else:
            pytest.fail("the closed posting is still recommended:\n" + log.read_text(errors="replace")[-3000:])
    finally:
        current_app.conf.task_default_queue = previous
        worker.terminate()
        worker.wait(timeout=30)
        log_file.close()
    assert "matching.match_posting" in log.read_text(errors="replace")
