"""The nightly rematch's chunks: the rows are the truth, a lost chunk is queued again, a repeated
message changes nothing, and chunks shared by workers leave what one pass would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from matching import tasks
from matching.engine import SeekerIndex, SkillTable
from matching.models import Match, MatchClaim, RematchChunk, RematchReplay, RematchRun
from matching.selectors import engine_seekers, engine_skills
from matching.services import (
    REMATCH_MAX_ATTEMPTS,
    REMATCH_STALE,
    matching_run_posting,
    matching_run_seeker,
    rematch_chunk,
    rematch_finish,
    rematch_inline,
    rematch_plan,
    rematch_stale_chunks,
)
from matching.services.rematch import _chunk_claim, _chunk_pairs, _chunk_postings, _chunk_store
from tests.clock import NOON, TODAY
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration
from xiangtan_jobs.seed.demo import demo_seed

pytestmark = pytest.mark.usefixtures("ref", "frozen_clock")


def stored() -> list[tuple]:
    return sorted(
        Match.objects.filter(status__in=["recommended", "viewed"]).values_list(
            "posting_id", "seeker_id", "score", "kept", "claimed", "is_current"
        )
    ) + sorted(MatchClaim.objects.values_list("posting_id", "seeker_id", "score"))


@pytest.fixture
def city():
    demo_seed(postings=120, seekers=100, seed=4, today=TODAY)


def test_chunks_cover_every_matchable_posting_once(city):
    run, chunks = rematch_plan(chunk_size=25)
    ids = [p for c in chunks for p in c.posting_ids]
    assert len(ids) == len(set(ids)) and len(chunks) == run.chunks_total == (len(ids) + 24) // 25
    assert [c.number for c in chunks] == list(range(len(chunks)))


def test_chunks_in_any_order_leave_what_one_pass_would(city):
    rematch_inline(now=NOON)
    one_pass = stored()
    Match.objects.all().delete()
    run, chunks = rematch_plan(chunk_size=25)
    lasts = [rematch_chunk(chunk_id=c.pk, now=NOON) for c in reversed(chunks)]
    assert lasts == [False] * (len(chunks) - 1) + [True]
    rematch_finish(run_id=run.pk)
    assert stored() == one_pass
    run.refresh_from_db()
    assert run.finished_at is not None and run.pairs_kept == Match.objects.filter(kept=True).count()


def test_the_command_ranking_and_storing_side_by_side_leaves_what_one_chunk_would(city):
    """rematch_inline ranks chunk k + 1 in a helper thread while chunk k is stored."""
    rematch_inline(now=NOON, chunk_size=10_000)
    one_chunk = stored()
    Match.objects.all().delete()
    seen: list[int] = []
    run = rematch_inline(now=NOON, chunk_size=17, progress=seen.append)
    assert run.chunks_total == len(seen) > 3
    assert sum(seen) == JobPosting.objects.public().count()
    assert run.chunks_done == run.chunks_total and run.finished_at is not None
    assert stored() == one_chunk


def test_changes_during_the_run_are_not_undone_by_a_chunk_that_read_the_rows_before(city):
    """A chunk reads at 02:00:10, a posting and a seeker change at 02:00:30 (their incremental
    updates store at once), the chunk stores at 02:00:40: the finish repeats those updates last."""
    rematch_inline(now=NOON)
    run, chunks = rematch_plan(chunk_size=10_000)
    claimed = _chunk_claim(chunks[0].pk)
    seekers = SeekerIndex.build(engine_seekers(), SkillTable.build(engine_skills().values()))
    stale = _chunk_pairs(_chunk_postings(claimed.posting_ids, NOON), seekers)  # read before the changes

    # A posting whose list is full (more candidates than room) takes more people; a seeker with a
    # short range widens it, entering lists they were not in.
    full = [
        p
        for p in JobPosting.objects.public().order_by("id")
        if Match.objects.filter(posting=p, kept=True, claimed=False).count() == 2 * p.headcount
    ]
    posting_id = full[0].pk
    JobPosting.objects.filter(pk=posting_id).update(headcount=full[0].headcount + 3)
    matching_run_posting(posting_id=posting_id, now=NOON)
    seeker = SeekerRegistration.objects.filter(status="active", travel_km__lte=5).order_by("id").first()
    seeker_id = seeker.pk
    SeekerRegistration.objects.filter(pk=seeker_id).update(travel_km=30)
    matching_run_seeker(seeker_id=seeker_id, now=NOON)
    assert RematchReplay.objects.filter(run=run).count() == 2

    changed = stored()
    _chunk_store(claimed, stale)  # puts back the lists as they were before the two changes
    assert stored() != changed
    rematch_finish(run_id=run.pk, now=NOON)
    after_finish = stored()
    rematch_inline(now=NOON)  # what a full run on the changed data leaves
    assert after_finish == stored()


def test_a_repeated_chunk_message_changes_nothing_but_still_asks_for_the_finish(city):
    run, chunks = rematch_plan(chunk_size=1000)
    assert rematch_chunk(chunk_id=chunks[0].pk, now=NOON) is True
    before, pairs = stored(), RematchRun.objects.get(pk=run.pk).pairs_kept
    # Redelivered (its worker died after storing, before queuing the finish): it stores nothing and
    # says the run is complete, so the finish is queued.
    assert rematch_chunk(chunk_id=chunks[0].pk, now=NOON) is True
    assert stored() == before
    run.refresh_from_db()
    assert (run.chunks_done, run.pairs_kept) == (1, pairs)
    assert RematchChunk.objects.get(pk=chunks[0].pk).attempts == 1
    rematch_finish(run_id=run.pk, now=NOON)
    assert rematch_chunk(chunk_id=chunks[0].pk, now=NOON) is False  # finished: nothing more to ask


def test_one_run_per_night_a_second_beat_joins_it(city):
    night = TODAY
    run, chunks = rematch_plan(chunk_size=40, night=night)
    assert len(chunks) > 1
    rematch_chunk(chunk_id=chunks[0].pk, now=NOON)
    again, left = rematch_plan(chunk_size=40, night=night)  # a second beat, or rematch_all redelivered
    assert again.pk == run.pk and [c.pk for c in left] == [c.pk for c in chunks[1:]]
    assert RematchRun.objects.count() == 1
    for c in left:
        rematch_chunk(chunk_id=c.pk, now=NOON)
    rematch_finish(run_id=run.pk, now=NOON)
    assert rematch_plan(chunk_size=40, night=night) == (RematchRun.objects.get(pk=run.pk), [])
    following, chunks_next = rematch_plan(chunk_size=40, night=night + dt.timedelta(days=1))
    assert following.pk != run.pk and chunks_next


def test_the_sweeper_finishes_a_complete_run_at_once(city):
    """The last chunk's worker died after storing, before queuing the finish: the next sweep (a
    minute later, not 15) queues it; a finish being run by a live worker is left to it."""
    run, chunks = rematch_plan(chunk_size=1000)
    _chunk_store(_chunk_claim(chunks[0].pk), ([], []))
    assert rematch_stale_chunks(now=timezone.now() + dt.timedelta(minutes=1)) == ([], [run.pk])
    RematchRun.objects.filter(pk=run.pk).update(finish_started_at=timezone.now())  # a finish began …
    if connection.vendor == "postgresql":
        assert rematch_stale_chunks(now=timezone.now()) == ([], [run.pk])  # … and its worker died: no lock


def test_a_chunk_whose_worker_died_is_queued_again_at_once_on_postgresql(city):
    if connection.vendor != "postgresql":
        pytest.skip("liveness by advisory lock is PostgreSQL's; SQLite waits REMATCH_STALE")
    _run, chunks = rematch_plan(chunk_size=1000)
    RematchChunk.objects.filter(pk=chunks[0].pk).update(started_at=timezone.now(), attempts=1)
    assert rematch_stale_chunks(now=timezone.now()) == ([chunks[0].pk], [])


def test_sweeper_queues_lost_chunks_again_and_gives_up_after_five_attempts(city):
    _run, chunks = rematch_plan(chunk_size=40)
    first, second, *rest = chunks
    later = timezone.now() + REMATCH_STALE + dt.timedelta(minutes=1)
    assert rematch_stale_chunks() == ([], [])  # just queued: not lost yet
    rematch_chunk(chunk_id=first.pk, now=NOON)  # done
    RematchChunk.objects.filter(pk=second.pk).update(started_at=timezone.now(), attempts=1)  # its worker died
    lost, unfinished = rematch_stale_chunks(now=later)
    assert lost == [second.pk, *(c.pk for c in rest)] and unfinished == []
    # Re-queued: not lost again until another stale period has passed.
    assert rematch_stale_chunks(now=later) == ([], [])
    RematchChunk.objects.filter(pk=second.pk).update(attempts=REMATCH_MAX_ATTEMPTS)
    assert second.pk not in rematch_stale_chunks(now=later + REMATCH_STALE * 2)[0]


def test_sweeper_finishes_a_run_whose_finish_was_lost(city):
    run, chunks = rematch_plan(chunk_size=1000)
    rematch_chunk(chunk_id=chunks[0].pk, now=NOON)
    later = timezone.now() + REMATCH_STALE + dt.timedelta(minutes=1)
    assert rematch_stale_chunks(now=later) == ([], [run.pk])
    rematch_finish(run_id=run.pk)
    assert rematch_stale_chunks(now=later) == ([], [])
    # A run older than a day is left to the next night's run.
    stale_run, _chunks = rematch_plan(chunk_size=1000)
    RematchRun.objects.filter(pk=stale_run.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert rematch_stale_chunks(now=later) == ([], [])


def test_nightly_tasks_run_the_whole_rematch(city):
    """rematch_all → rematch_chunk × N → rematch_finish, run in this process (eager)."""
    from xiangtan_jobs.celery import app

    app.conf.task_always_eager = True
    try:
        assert tasks.rematch_all.delay().get() == 1
        assert tasks.rematch_sweep.delay().get() == 0  # nothing lost
    finally:
        app.conf.task_always_eager = False
    run = RematchRun.objects.order_by("-pk").first()
    assert run.finished_at is not None and run.chunks_done == run.chunks_total == 1
    by_tasks = stored()
    assert by_tasks
    rematch_inline(now=timezone.now())
    assert stored() == by_tasks


def test_a_finished_run_drops_the_chunk_lists_of_runs_older_than_a_week(city):
    old_run, _chunks = rematch_plan(chunk_size=50)
    RematchRun.objects.filter(pk=old_run.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    RematchReplay.objects.create(run=old_run, kind="posting", object_id=1)
    run = rematch_inline(now=NOON, chunk_size=50)
    assert not RematchChunk.objects.filter(run=old_run).exists()
    assert not RematchReplay.objects.filter(run=old_run).exists()
    assert RematchChunk.objects.filter(run=run).count() == run.chunks_total  # this week's stay
    assert RematchRun.objects.filter(pk=old_run.pk).exists()  # the record of the night stays


def test_two_beats_for_one_night_make_one_run_and_text_each_seeker_once(city, settings):
    """Two rematch_all for the same night (two beats, or a redelivery after the run finished)."""
    from xiangtan_jobs.celery import app
    from xiangtan_jobs.core.models import SmsOutbox

    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFY_MIN_SCORE = 0
    app.conf.task_always_eager = True
    try:
        tasks.rematch_all.delay().get()
        tasks.rematch_all.delay().get()
        tasks.rematch_sweep.delay().get()
    finally:
        app.conf.task_always_eager = False
    assert RematchRun.objects.count() == 1
    run = RematchRun.objects.get()
    assert run.night == TODAY and run.finished_at is not None and run.notified_at is not None
    texts = list(SmsOutbox.objects.filter(purpose="recommendation").values_list("phone", flat=True))
    assert texts and len(texts) == len(set(texts))
    told = Match.objects.filter(notified_at__isnull=False).values("seeker_id").distinct().count()
    assert len(texts) == told


def test_the_sweeper_starts_tonights_run_if_the_beats_message_was_lost(city):
    from matching.services import rematch_night_missing

    night = NOON.replace(hour=2, minute=30)
    assert rematch_night_missing(now=night)
    assert not rematch_night_missing(now=NOON.replace(hour=2, minute=5))  # the beat's own minute
    assert not rematch_night_missing(now=NOON)  # the day: the next night's run
    rematch_plan(chunk_size=1000, night=TODAY)
    assert not rematch_night_missing(now=night)
