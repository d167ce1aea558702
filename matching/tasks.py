"""Celery glue of the matching: ids in, one service call, idempotent, retried, time-limited.

A posting's or seeker's matching is owed work (``xiangtan_jobs.common.owed``): the services that
publish postings and save registrations write its row in their transaction and queue the task on
commit as a wake-up; the task runs inside ``owed_run``, and the sweeper runs what a lost message or
a dead worker left. Every task can run twice without harm: the services recompute from the
database and upsert.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from xiangtan_jobs.common.faults import fault_point
from xiangtan_jobs.common.owed import owed_pending, owed_run

from . import services

# Retries outlast a blip of the database or the broker: 10, 20, 40, 80, 160, 300, 300, 300 s
# (about 20 minutes in all; the first three alone cover a 30 s outage twice over). No jitter: with
# it Celery draws each delay between 0 and the above, and five retries were spent in 14-22 s.
RETRY = {
    "autoretry_for": (DatabaseError, BrokerError),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "retry_jitter": False,
    "max_retries": 8,
}
MATCH_POSTING = "matching.match_posting"
MATCH_SEEKER = "matching.match_seeker"


@shared_task(name="matching.match_posting", soft_time_limit=60, time_limit=90, **RETRY)
def match_posting(posting_id: int) -> int:
    """A posting was published, changed, closed or expired: its recommended seekers."""
    with owed_run(MATCH_POSTING, posting_id):
        fault_point("matching.posting_claimed")
        kept = services.matching_run_posting(posting_id=posting_id).kept
        fault_point("matching.posting_matched")
        return kept


@shared_task(name="matching.match_seeker", soft_time_limit=60, time_limit=90, **RETRY)
def match_seeker(seeker_id: int) -> int:
    """A registration was created or changed: the postings recommended to this seeker."""
    with owed_run(MATCH_SEEKER, seeker_id):
        return services.matching_run_seeker(seeker_id=seeker_id).kept


@shared_task(name="matching.match_postings", soft_time_limit=240, time_limit=300, **RETRY)
def match_postings(posting_ids: list[int]) -> int:
    """Many postings changed at once (the nightly expiry): each is matched again, in turn (each one's
    row is owed on its own, so a retry or the sweeper redoes only what is left)."""
    kept = 0
    for pk in sorted(owed_pending(MATCH_POSTING, posting_ids)):  # a retry skips those already done
        with owed_run(MATCH_POSTING, pk):
            kept += services.matching_run_posting(posting_id=pk).kept
    return kept


@shared_task(name="matching.rematch_all", soft_time_limit=60, time_limit=90, **RETRY)
def rematch_all() -> int:
    """Nightly: split the full rematch into chunks of postings that the workers share. One run per
    night: a second beat or a redelivered message joins tonight's run (queues what is left of it)."""
    run, chunks = services.rematch_plan(night=timezone.localdate(), chunk_size=settings.REMATCH_CHUNK_POSTINGS)
    fault_point("rematch.planned")
    if not chunks and services.rematch_run_complete(run.pk):
        rematch_finish.delay(run.pk)
    for chunk in chunks:
        rematch_chunk.delay(chunk.pk)
    fault_point("rematch.chunks_queued")
    return len(chunks)


@shared_task(name="matching.rematch_chunk", soft_time_limit=600, time_limit=660, **RETRY)
def rematch_chunk(chunk_id: int) -> bool:
    """One chunk of the full rematch; whoever finds the run complete queues the finish (also a
    repeated message whose chunk is done: its first worker may have died before queuing it)."""
    complete = services.rematch_chunk(chunk_id=chunk_id)
    if complete:
        fault_point("rematch.before_finish_queued")
        rematch_finish.delay(services.rematch_run_of(chunk_id))
    return complete


@shared_task(name="matching.rematch_sweep", soft_time_limit=60, time_limit=90, **RETRY)
def rematch_sweep() -> int:
    """Every minute: queue again the chunks of tonight's run whose worker died or whose message was
    lost, the finish of a complete run nobody is finishing, and the notifications a killed finish
    did not send."""
    lost, unfinished = services.rematch_stale_chunks()
    for chunk_id in lost:
        rematch_chunk.delay(chunk_id)
    for run_id in unfinished:
        rematch_finish.delay(run_id)
    untold = services.rematch_unnotified()
    for run_id in untold:
        rematch_notify.delay(run_id)
    missing = services.rematch_night_missing()
    if missing:  # the beat's message was lost: tonight's run starts anyway
        rematch_all.delay()
    return len(lost) + len(unfinished) + len(untold) + missing


@shared_task(name="matching.rematch_finish", soft_time_limit=600, time_limit=660, **RETRY)
def rematch_finish(run_id: int) -> int:
    """Drop what is no longer matchable and refresh every seeker's recommendations."""
    return services.rematch_finish(run_id=run_id)


@shared_task(name="matching.rematch_notify", soft_time_limit=600, time_limit=660, **RETRY)
def rematch_notify(run_id: int) -> int:
    """The notifications of a finished run, again (its finish was killed while notifying)."""
    return services.rematch_notify(run_id=run_id)


@shared_task(name="matching.notify", soft_time_limit=120, time_limit=180, **RETRY)
def notify() -> int:
    """Periodically: messages held back during the night go out in the morning."""
    return services.seekers_notify(seeker_ids=None)


@shared_task(name="matching.close_unanswered", soft_time_limit=240, time_limit=300, **RETRY)
def close_unanswered() -> int:
    """Hourly (beat): applications nobody answered in time are closed as 「未获回复」, the seeker told."""
    return services.applications_close_unanswered()


@shared_task(name="matching.retention_anonymise", soft_time_limit=600, time_limit=660, **RETRY)
def retention_anonymise() -> int:
    """Nightly (beat): registrations unused for SEEKER_RETENTION_DAYS are anonymised, in chunks."""
    return services.registrations_anonymise_inactive()
