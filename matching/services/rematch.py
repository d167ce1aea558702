"""The full rematch, in chunks of postings that several workers share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from matching.engine.index import PostingIndex, SeekerIndex
from matching.engine.reach import reach_pass
from matching.engine.results import PairTable
from matching.engine.scoring import SCORE_SCALE
from matching.engine.skills import SkillTable
from matching.engine.types import DEFAULT_WEIGHTS, PostingIn, ScoredPair
from matching.enums import UNTOUCHED_STATUSES
from matching.models import Match, MatchClaim, RematchCandidate, RematchChunk, RematchReplay, RematchRun, ReplayKind
from matching.selectors import engine_postings, engine_seekers, engine_skills, matchable_postings, matchable_seekers
from xiangtan_jobs.common.faults import fault_point
from xiangtan_jobs.common.owed import owed_mark, owed_run
from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import JobPosting

from .notify import seekers_notify
from .pipeline import (  # the package's own helpers, shared by the incremental and the full run
    ENGINE_PARAMS,
    ENGINE_REACH,
    DbReachStore,
    DbWorld,
    _lock_matching,
    _raw_delete,
    _refresh_shown,
    _store_kept,
    matching_run_posting,
    matching_run_seeker,
)

# --- The full rematch, in chunks of postings that several workers share -----------------------
REMATCH_CHUNK = 5000  # postings per Celery chunk: several workers share the nightly run
REMATCH_INLINE_CHUNK = 6000  # the command: ~7 chunks, so ranking and storing overlap


def rematch_plan(
    *, chunk_size: int = REMATCH_CHUNK, night: dt.date | None = None, now: dt.datetime | None = None
) -> tuple[RematchRun, list[RematchChunk]]:
    """Start a full rematch: the run's row and one row per chunk of matchable posting ids.

    With ``night`` (the beat's run) there is one run per night: if that night's run exists, it is
    joined and its chunks not done and not being worked on are returned, to be queued again."""
    now = now or timezone.now()
    if night is not None:
        joined = _rematch_join(night, now)
        if joined is not None:
            return joined
    ids = list(matchable_postings().order_by("id").values_list("id", flat=True))
    try:
        with transaction.atomic():
            run = RematchRun.objects.create(night=night, chunks_total=(len(ids) + chunk_size - 1) // chunk_size)
            chunks = RematchChunk.objects.bulk_create(
                RematchChunk(run=run, number=n, posting_ids=ids[i : i + chunk_size], queued_at=now)
                for n, i in enumerate(range(0, len(ids), chunk_size))
            )
    except IntegrityError:  # another beat planned this night at the same moment: join it
        joined = _rematch_join(night, now) if night is not None else None
        if joined is None:
            raise
        return joined
    return run, chunks


def _rematch_join(night: dt.date, now: dt.datetime) -> tuple[RematchRun, list[RematchChunk]] | None:
    run = RematchRun.objects.filter(night=night).first()
    if run is None:
        return None
    if run.finished_at is not None:
        return run, []
    open_chunks = [c for c in run.chunks.filter(done_at__isnull=True).order_by("number") if not _chunk_busy(c, now)]
    RematchChunk.objects.filter(pk__in=[c.pk for c in open_chunks]).update(queued_at=now)
    return run, open_chunks


# --- Who is working on what: PostgreSQL session advisory locks, held while a worker works on a
# chunk or a finish and released by PostgreSQL when its connection dies (a SIGKILLed worker), so
# the sweeper knows at once, not after a timeout, that the work was abandoned. SQLite (one machine,
# the embedded default) falls back to the age of the start.
_CHUNK_LOCK = 7_314_002
_FINISH_LOCK = 7_314_003


def _try_hold(kind: int, pk: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, pk])
        return bool(cursor.fetchone()[0])


def _release(kind: int, pk: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, pk])


def _held_elsewhere(kind: int, pk: int) -> bool | None:
    """Whether a live worker holds this lock; None without advisory locks (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    if not _try_hold(kind, pk):
        return True
    _release(kind, pk)
    return False


def _chunk_busy(chunk: RematchChunk, now: dt.datetime) -> bool:
    """A chunk a live worker is computing (or, without locks, started less than REMATCH_STALE ago)."""
    if chunk.started_at is None:
        return False
    held = _held_elsewhere(_CHUNK_LOCK, chunk.pk)
    return held if held is not None else chunk.started_at >= now - REMATCH_STALE


def rematch_run_complete(run_id: int) -> bool:
    """Every chunk of the run is stored and the run is not finished: its finish is due."""
    return RematchRun.objects.filter(pk=run_id, finished_at__isnull=True, chunks_done=F("chunks_total")).exists()


def _chunk_claim(chunk_id: int) -> RematchChunk | None:
    """Mark a chunk as started by this worker; None when it is already done (a repeated message)."""
    with transaction.atomic():
        chunk = RematchChunk.objects.select_for_update().filter(pk=chunk_id, done_at__isnull=True).first()
        if chunk is None:
            return None
        chunk.started_at = timezone.now()
        chunk.attempts += 1
        chunk.save(update_fields=["started_at", "attempts"])
        return chunk


def _chunk_postings(posting_ids: Sequence[int], now: dt.datetime | None) -> list[PostingIn]:
    return engine_postings(JobPosting.objects.filter(pk__in=list(posting_ids)), now=now)


Triples = list[tuple[int, int, float]]


def _columns(table: PairTable) -> Triples:
    # Columns straight from the engine's table: no Python object per pair on the full run.
    return list(
        zip(table.posting_ids.tolist(), table.seeker_ids.tolist(), (table.units / SCORE_SCALE).tolist(), strict=True)
    )


def _chunk_pairs(postings: list[PostingIn], seekers: SeekerIndex) -> tuple[Triples, Triples]:
    """The soft lists of these postings and each seeker's best among them (the candidates for their
    claims): pure computation, no database (safe in a helper thread)."""
    soft, best = reach_pass(
        PostingIndex.build(postings, seekers.skills), seekers, ENGINE_PARAMS, DEFAULT_WEIGHTS, ENGINE_REACH
    )
    return _columns(soft), _columns(best)


def _chunk_store(chunk: RematchChunk, ranked: tuple[Triples, Triples]) -> bool:
    """Store a chunk's results, mark it done and count it, in one transaction; True if it was the last."""
    pairs, candidates = ranked
    with transaction.atomic():
        _lock_matching()
        # Done in the same transaction as the results: a chunk is either stored and counted, or neither.
        if not RematchChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(done_at=timezone.now()):
            return rematch_run_complete(chunk.run_id)  # another worker finished it meanwhile; its results stand
        _store_kept(posting_ids=chunk.posting_ids, pairs=pairs, changed=False)
        _store_candidates(chunk.run_id, candidates)
        RematchRun.objects.filter(pk=chunk.run_id).update(
            chunks_done=F("chunks_done") + 1, pairs_kept=F("pairs_kept") + len(pairs)
        )
        run = RematchRun.objects.get(pk=chunk.run_id)
        fault_point("rematch.chunk_stored")
    return run.chunks_done == run.chunks_total


def _store_candidates(run_id: int, rows: Triples) -> None:
    """A chunk's best postings per seeker, for the run's finish (COPY on PostgreSQL)."""
    table = RematchCandidate._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (run_id, posting_id, seeker_id, score) FROM STDIN") as copy:
                for p, s, score in rows:
                    copy.write_row((run_id, p, s, round(score, 4)))
        elif rows:
            cursor.executemany(
                f"INSERT INTO {table} (run_id, posting_id, seeker_id, score) VALUES (%s, %s, %s, %s)",  # nosec B608
                [(run_id, p, s, round(score, 4)) for p, s, score in rows],
            )


def _settle_claims(run_id: int) -> None:
    """The reach guarantee's steps 2–3 once every chunk stored its soft lists: each seeker kept by
    no soft list claims their best suitable postings (the best of every chunk's candidates), and
    each posting admits its best claimants while its list is under the hard cap."""
    candidates, claims_table = RematchCandidate._meta.db_table, MatchClaim._meta.db_table
    match, posting = Match._meta.db_table, JobPosting._meta.db_table
    MatchClaim.objects.all().delete()
    with connection.cursor() as cursor:
        # Ranked per seeker by score, then the smaller posting id (the engine's order), among the
        # seekers no soft list keeps and the postings still matchable.
        cursor.execute(
            f"INSERT INTO {claims_table} (seeker_id, posting_id, score) SELECT seeker_id, posting_id, score FROM ("  # nosec B608
            f"SELECT c.seeker_id, c.posting_id, c.score, ROW_NUMBER() OVER (PARTITION BY c.seeker_id "
            f"ORDER BY c.score DESC, c.posting_id) AS rn FROM {candidates} c WHERE c.run_id = %s "
            f"AND NOT EXISTS (SELECT 1 FROM {match} m WHERE m.seeker_id = c.seeker_id AND m.kept = %s "
            f"AND m.claimed = %s) AND EXISTS (SELECT 1 FROM {posting} j WHERE j.id = c.posting_id "
            f"AND j.status = %s)) AS ranked WHERE rn <= %s",
            [run_id, True, False, PostingStatus.PUBLISHED.value, ENGINE_REACH.claims],
        )
    RematchCandidate.objects.filter(run_id=run_id).delete()
    waiting = list(MatchClaim.objects.values_list("posting_id", "seeker_id", "score"))
    if not waiting:
        return
    posting_ids = sorted({p for p, _s, _score in waiting})
    heads = DbWorld(None).headcounts(posting_ids)
    soft = DbReachStore().soft_for_postings(posting_ids)
    by_posting: dict[int, list[ScoredPair]] = {}
    for p, s, score in waiting:
        by_posting.setdefault(p, []).append(ScoredPair(p, s, score))
    kept: list[tuple[int, int, float]] = []
    claimed: set[tuple[int, int]] = set()
    for p in posting_ids:
        mine = soft.get(p, [])
        kept.extend((x.posting_id, x.seeker_id, x.score) for x in mine)
        if p not in heads:
            continue
        for x in ENGINE_REACH.admit(by_posting[p], headcount=heads[p], soft_kept=len(mine)):
            kept.append((x.posting_id, x.seeker_id, x.score))
            claimed.add((x.posting_id, x.seeker_id))
    _store_kept(posting_ids=posting_ids, pairs=kept, changed=False, claimed=claimed)
    RematchRun.objects.filter(pk=run_id).update(pairs_kept=F("pairs_kept") + len(claimed))


def rematch_chunk(*, chunk_id: int, now: dt.datetime | None = None, seekers: SeekerIndex | None = None) -> bool:
    """Recompute the kept lists of one chunk's postings against every active seeker; True if the run
    is then complete (all chunks stored, not finished): whoever sees that queues the finish, also a
    repeated message that finds its chunk done (the worker that stored it may have died before
    queuing the finish). A chunk another worker is computing right now is left to it.

    ``seekers`` lets one process reuse its index over all chunks (the command); each worker builds its own.
    """
    if not _try_hold(_CHUNK_LOCK, chunk_id):
        return False  # a live worker is on it; it queues the finish
    try:
        claimed = _chunk_claim(chunk_id)
        if claimed is None:
            return rematch_run_complete(rematch_run_of(chunk_id))
        if seekers is None:
            seekers = SeekerIndex.build(engine_seekers(), SkillTable.build(engine_skills().values()))
        pairs = _chunk_pairs(_chunk_postings(claimed.posting_ids, now), seekers)
        fault_point("rematch.chunk_ranked")
        return _chunk_store(claimed, pairs)
    finally:
        _release(_CHUNK_LOCK, chunk_id)


def rematch_run_of(chunk_id: int) -> int:
    """The run a chunk belongs to."""
    return RematchChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id)


# A chunk not started this long after it was queued is taken as lost (its message gone with a Redis
# restart) and queued again; a started chunk, at once when its worker's lock is gone (PostgreSQL),
# else this long after its start (the chunk task's hard time limit is 660 s). At most this often.
REMATCH_STALE = dt.timedelta(minutes=15)
REMATCH_MAX_ATTEMPTS = 5
REMATCH_KEEP_DETAILS = dt.timedelta(days=7)


def rematch_stale_chunks(*, now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """What the sweeper (every minute) should queue again: (lost chunk ids, complete runs whose
    finish nobody is running: at once, the finish's lock tells). Only runs of the last day: an older
    unfinished run is superseded by the next."""
    now = now or timezone.now()
    stale_before = now - REMATCH_STALE
    recent = RematchRun.objects.filter(finished_at__isnull=True, created_at__gte=now - dt.timedelta(days=1))
    candidates = (
        RematchChunk.objects.filter(run__in=recent, done_at__isnull=True, attempts__lt=REMATCH_MAX_ATTEMPTS)
        .filter(Q(started_at__isnull=True, queued_at__lt=stale_before) | Q(started_at__isnull=False))
        .order_by("run_id", "number")
    )
    lost = [c.pk for c in candidates if not _chunk_busy(c, now)]
    unfinished = [
        run.pk
        for run in recent.filter(chunks_done=F("chunks_total"))
        if not _finish_busy(run, now)
    ]  # fmt: skip
    if lost:
        RematchChunk.objects.filter(pk__in=lost).update(queued_at=now, started_at=None)
    return lost, unfinished


def _finish_busy(run: RematchRun, now: dt.datetime) -> bool:
    if run.finish_started_at is None:
        return False
    held = _held_elsewhere(_FINISH_LOCK, run.pk)
    return held if held is not None else run.finish_started_at >= now - REMATCH_STALE


# The nightly beat starts the run at 02:00; if its message was lost (Redis away at that minute), the
# sweeper starts tonight's run itself, from 02:10 until 06:00 (after that, the next night's).
NIGHTLY_CATCH_UP = (dt.time(2, 10), dt.time(6, 0))


def rematch_night_missing(*, now: dt.datetime | None = None) -> bool:
    """Whether tonight's run should have started and has not (the sweeper then starts it)."""
    local = timezone.localtime(now or timezone.now())
    start, end = NIGHTLY_CATCH_UP
    return start <= local.time() < end and not RematchRun.objects.filter(night=local.date()).exists()


def rematch_unnotified(*, now: dt.datetime | None = None) -> list[int]:
    """Finished runs of the last day whose notifications were cut off (a finish killed while
    notifying): the sweeper notifies again; the outbox's keys keep anyone from a second SMS."""
    now = now or timezone.now()
    runs = RematchRun.objects.filter(
        finished_at__lt=now - dt.timedelta(minutes=2),
        notified_at__isnull=True,
        created_at__gte=now - dt.timedelta(days=1),
    )
    return [pk for pk in runs.values_list("id", flat=True) if not _held_elsewhere(_FINISH_LOCK, pk)]


def rematch_notify(*, run_id: int, now: dt.datetime | None = None) -> int:
    """The finish's last step: tell seekers of their new recommendations, then mark the run told."""
    if not _try_hold(_FINISH_LOCK, run_id):  # the finish (or another notify) is still at it
        return 0
    try:
        fault_point("rematch.notifying")
        told = seekers_notify(seeker_ids=None, now=now)
        RematchRun.objects.filter(pk=run_id).update(notified_at=timezone.now())
        return told
    finally:
        _release(_FINISH_LOCK, run_id)


def rematch_finish(*, run_id: int, now: dt.datetime | None = None) -> int:
    """After the last chunk: drop what is no longer matchable, refresh every seeker's shown list, then
    repeat the incremental updates made while the run was going (a chunk that read its rows before
    such a change stored a stale list; the repeat, done last, leaves what the change should)."""
    if not _try_hold(_FINISH_LOCK, run_id):
        return 0  # another worker is finishing it
    try:
        return _rematch_finish(run_id, now)
    finally:
        _release(_FINISH_LOCK, run_id)


def _rematch_finish(run_id: int, now: dt.datetime | None) -> int:
    if not RematchRun.objects.filter(pk=run_id, finished_at__isnull=True).update(finish_started_at=timezone.now()):
        return 0  # finished already (a repeated finish message)
    with transaction.atomic():
        _lock_matching()
        # Anti-joins (NOT EXISTS) rather than NOT IN: see seekers_notify.
        gone = Match.objects.filter(
            ~Exists(matchable_postings().filter(pk=OuterRef("posting_id")))
            | ~Exists(matchable_seekers().filter(pk=OuterRef("seeker_id")))
        )
        _raw_delete(gone.filter(status__in=UNTOUCHED_STATUSES))
        gone.filter(kept=True).update(kept=False, claimed=False)
        _settle_claims(run_id)
        shown = _refresh_shown(None)
        RematchRun.objects.filter(pk=run_id, finished_at__isnull=True).update(finished_at=timezone.now())
        replays = list(RematchReplay.objects.filter(run_id=run_id).order_by("pk").values_list("kind", "object_id"))
        # The runs themselves stay (a record of each night); their chunks' id lists and replays,
        # ~40 KB a chunk, go after a week.
        week_ago = timezone.now() - REMATCH_KEEP_DETAILS
        RematchChunk.objects.filter(run__created_at__lt=week_ago).delete()
        RematchReplay.objects.filter(run__created_at__lt=week_ago).delete()
        RematchCandidate.objects.filter(run__created_at__lt=week_ago).delete()  # of runs that never finished
        # Owed with the finish: a worker killed during the repeats below leaves them to the sweeper.
        for kind, object_id in replays:
            owed_mark(_REPLAY_TASK[kind], [object_id])
        fault_point("rematch.finishing")
    # Each in its own transaction, after the run is marked finished (so these are not noted again).
    for kind, object_id in replays:
        with owed_run(_REPLAY_TASK[kind], object_id):
            if kind == ReplayKind.POSTING:
                matching_run_posting(posting_id=object_id, now=now)
            else:
                matching_run_seeker(seeker_id=object_id, now=now)
    rematch_notify(run_id=run_id, now=now)
    return shown


# The owed tasks that repeat a replay (the names of matching/tasks.py).
_REPLAY_TASK: dict[str, str] = {
    ReplayKind.POSTING: "matching.match_posting",
    ReplayKind.SEEKER: "matching.match_seeker",
}


def rematch_inline(
    *,
    progress: Callable[[int], None] = lambda _n: None,
    chunk_size: int = REMATCH_INLINE_CHUNK,
    now: dt.datetime | None = None,
) -> RematchRun:
    """The whole rematch in this process (the `rematch` command); the nightly one is shared by workers.

    On two cores the work overlaps: a helper thread ranks chunk k + 1 (numpy, no database) while
    PostgreSQL stores chunk k (its own process); the reads and writes stay on this thread's connection.
    """
    run, chunks = rematch_plan(chunk_size=chunk_size)
    now = now or timezone.now()
    seekers = SeekerIndex.build(engine_seekers(), SkillTable.build(engine_skills().values()))
    Ranked = tuple[RematchChunk, Future[tuple[Triples, Triples]]]

    def store(ranked: Ranked) -> None:
        chunk, pairs = ranked
        _chunk_store(chunk, pairs.result())
        progress(len(chunk.posting_ids))

    pending: Ranked | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rematch") as pool:
        for chunk in chunks:
            claimed = _chunk_claim(chunk.pk)
            if claimed is None:
                continue
            ranking = pool.submit(_chunk_pairs, _chunk_postings(claimed.posting_ids, now), seekers)
            if pending is not None:
                store(pending)  # while the helper thread ranks this chunk
            pending = (claimed, ranking)
        if pending is not None:
            store(pending)
    rematch_finish(run_id=run.pk, now=now)
    run.refresh_from_db()
    return run
