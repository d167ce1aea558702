"""The full rematch, in chunks of postings that several workers share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from matching.engine.index import PostingIndex, SeekerIndex
from matching.engine.reach import reach_pass
from matching.engine.results import PairTable
from matching.engine.scoring import SCORE_SCALE
from matching.engine.skills import SkillTable
from matching.engine.types import DEFAULT_WEIGHTS, PostingIn
from matching.enums import UNTOUCHED_STATUSES
from matching.models import Match, MatchClaim, RematchCandidate, RematchChunk, RematchReplay, RematchRun, ReplayKind
from matching.selectors import engine_postings, engine_seekers, engine_skills, matchable_postings, matchable_seekers
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


def rematch_plan(*, chunk_size: int = REMATCH_CHUNK) -> tuple[RematchRun, list[RematchChunk]]:
    """Start a full rematch: the run's row and one row per chunk of matchable posting ids."""
    ids = list(matchable_postings().order_by("id").values_list("id", flat=True))
    now = timezone.now()
    with transaction.atomic():
        run = RematchRun.objects.create(chunks_total=(len(ids) + chunk_size - 1) // chunk_size)
        chunks = RematchChunk.objects.bulk_create(
            RematchChunk(run=run, number=n, posting_ids=ids[i : i + chunk_size], queued_at=now)
            for n, i in enumerate(range(0, len(ids), chunk_size))
        )
    return run, chunks


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
            return False  # another worker finished it meanwhile; its results stand
        _store_kept(posting_ids=chunk.posting_ids, pairs=pairs, changed=False)
        _store_candidates(chunk.run_id, candidates)
        RematchRun.objects.filter(pk=chunk.run_id).update(
            chunks_done=F("chunks_done") + 1, pairs_kept=F("pairs_kept") + len(pairs)
        )
        run = RematchRun.objects.get(pk=chunk.run_id)
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
    by_posting: dict[int, list[tuple[int, int, float]]] = {}
    for row in waiting:
        by_posting.setdefault(row[0], []).append(row)
    kept: list[tuple[int, int, float]] = []
    claimed: set[tuple[int, int]] = set()
    for p in posting_ids:
        mine = soft.get(p, [])
        kept.extend((x.posting_id, x.seeker_id, x.score) for x in mine)
        if p not in heads:
            continue
        room = max(0, ENGINE_REACH.hard_cap(heads[p]) - len(mine))
        for row in sorted(by_posting[p], key=lambda r: (-r[2], r[1]))[:room]:
            kept.append(row)
            claimed.add((row[0], row[1]))
    _store_kept(posting_ids=posting_ids, pairs=kept, changed=False, claimed=claimed)
    RematchRun.objects.filter(pk=run_id).update(pairs_kept=F("pairs_kept") + len(claimed))


def rematch_chunk(*, chunk_id: int, now: dt.datetime | None = None, seekers: SeekerIndex | None = None) -> bool:
    """Recompute the kept lists of one chunk's postings against every active seeker; True if it was the
    run's last chunk. A chunk already done (the message came twice, or the sweeper re-queued it while
    its first worker was only slow) is skipped.

    ``seekers`` lets one process reuse its index over all chunks (the command); each worker builds its own.
    """
    claimed = _chunk_claim(chunk_id)
    if claimed is None:
        return False
    if seekers is None:
        seekers = SeekerIndex.build(engine_seekers(), SkillTable.build(engine_skills().values()))
    return _chunk_store(claimed, _chunk_pairs(_chunk_postings(claimed.posting_ids, now), seekers))


def rematch_run_of(chunk_id: int) -> int:
    """The run a chunk belongs to."""
    return RematchChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id)


# A chunk not started this long after it was queued, or started this long ago and not done, is
# taken as lost (the chunk task's hard time limit is 660 s) and queued again, at most this often.
REMATCH_STALE = dt.timedelta(minutes=15)
REMATCH_MAX_ATTEMPTS = 5
REMATCH_KEEP_DETAILS = dt.timedelta(days=7)


def rematch_stale_chunks(*, now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """What the sweeper should queue again: (lost chunk ids, runs whose chunks are all done but which
    never finished). Only runs of the last day: an older unfinished run is superseded by the next."""
    now = now or timezone.now()
    stale_before = now - REMATCH_STALE
    recent = RematchRun.objects.filter(finished_at__isnull=True, created_at__gte=now - dt.timedelta(days=1))
    lost = list(
        RematchChunk.objects.filter(run__in=recent, done_at__isnull=True, attempts__lt=REMATCH_MAX_ATTEMPTS)
        .filter(Q(started_at__isnull=True, queued_at__lt=stale_before) | Q(started_at__lt=stale_before))
        .order_by("run_id", "number")
        .values_list("id", flat=True)
    )
    unfinished = list(
        recent.filter(chunks_done=F("chunks_total"), updated_at__lt=stale_before).values_list("id", flat=True)
    )
    if lost:
        RematchChunk.objects.filter(pk__in=lost).update(queued_at=now, started_at=None)
    return lost, unfinished


def rematch_finish(*, run_id: int, now: dt.datetime | None = None) -> int:
    """After the last chunk: drop what is no longer matchable, refresh every seeker's shown list, then
    repeat the incremental updates made while the run was going (a chunk that read its rows before
    such a change stored a stale list; the repeat, done last, leaves what the change should)."""
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
    # Each in its own transaction, after the run is marked finished (so these are not noted again).
    for kind, object_id in replays:
        if kind == ReplayKind.POSTING:
            matching_run_posting(posting_id=object_id, now=now)
        else:
            matching_run_seeker(seeker_id=object_id, now=now)
    seekers_notify(seeker_ids=None, now=now)
    return shown


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
