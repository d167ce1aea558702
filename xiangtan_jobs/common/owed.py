"""Owed work: the database, not the broker, says what is left to do.

A change that makes work owed (a posting published, a registration edited) calls
``enqueue_owed(task, id)`` inside its transaction: one ``OwedTask`` row per (task, id) is written
with the change, and the Celery message queued on commit is only a wake-up. The task runs its
body inside ``owed_run(task, id)``, which deletes the row when done. What a lost message, a Redis
outage, a database blip or a killed worker leaves behind is run by ``owed_sweep`` (beat, every
minute): rows not claimed for ``OWED_GRACE``, or whose claim is older than ``OWED_STALE``.

A rolled-back transaction leaves neither the row nor the message.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from celery import current_app
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from xiangtan_jobs.common.models import DeadLetter, OwedTask
from xiangtan_jobs.common.tasks import enqueue

logger = logging.getLogger(__name__)

# Left to its wake-up message this long (the normal path is a second or two).
OWED_GRACE = dt.timedelta(seconds=30)
# A claim older than this belongs to a worker that died: longer than any owed task's hard time
# limit (matching.match_posting / match_seeker: 90 s), so a slow run is never run twice at once.
OWED_STALE = dt.timedelta(minutes=5)
# A failing row is retried with a growing delay (1, 2, 4 … minutes, at most an hour), and recorded
# as a dead letter once it has failed this often.
OWED_DEAD_AFTER = 5
OWED_BACKOFF_MAX = dt.timedelta(hours=1)
# One sweep runs owed work for at most this long (its task's soft limit is 120 s); the next sweep,
# a minute later, on any worker, takes the rest (rows are claimed with SKIP LOCKED).
OWED_SWEEP_SECONDS = 60.0


def _owe(task_name: str, object_ids: Iterable[int], now: dt.datetime) -> None:
    rows = [
        OwedTask(task=task_name, object_id=pk, token=uuid.uuid4().hex, owed_at=now, run_after=now)
        for pk in dict.fromkeys(object_ids)
    ]
    # One upsert: a row already owed gets a new token (a worker running it now keeps it owed) and is
    # due at once. Its claim and failure count stay.
    OwedTask.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["task", "object_id"],
        update_fields=["token", "owed_at", "run_after"],
        batch_size=1000,
    )


def owed_mark(task_name: str, object_ids: list[int], *, now: dt.datetime | None = None) -> None:
    """Mark work owed in the current transaction without a wake-up: the caller runs it next, and the
    sweeper if the caller dies first."""
    if object_ids:
        _owe(task_name, object_ids, now or timezone.now())


def enqueue_owed(task_name: str, object_id: int, *, now: dt.datetime | None = None) -> None:
    """Mark ``task_name(object_id)`` as owed in the current transaction and wake a worker on commit."""
    _owe(task_name, [object_id], now or timezone.now())
    enqueue(task_name, object_id)


def enqueue_owed_many(task_name: str, object_ids: list[int], *, wake: str, now: dt.datetime | None = None) -> None:
    """Mark ``task_name(id)`` owed for each id; on commit wake one ``wake(object_ids)`` task for all."""
    if object_ids:
        _owe(task_name, object_ids, now or timezone.now())
        enqueue(wake, object_ids)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def dead_letter_record(*, task: str, args: str, error: str, retries: int = 0, task_id: str = "") -> None:
    """Keep a task that kept failing for a person to look at; logged if even that fails."""
    logger.error("Task %s%s failed for good: %s", task, args, error[:200])
    try:
        DeadLetter.objects.create(
            task=task[:64], task_id=task_id[:64], args=args[:300], error=error[:500], retries=retries,
            failed_at=timezone.now(),
        )  # fmt: skip
    except DatabaseError as exc:  # the database is what failed: the log line above stays
        logger.error("Could not record the dead letter of %s (%s)", task, type(exc).__name__)


def _failed(task_name: str, object_id: int, token: str, exc: Exception) -> None:
    """Release the claim with a growing delay; the fifth failure is recorded as a dead letter."""
    try:
        row = OwedTask.objects.filter(task=task_name, object_id=object_id).first()
        if row is None:
            return
        attempts = row.attempts + 1
        delay = min(dt.timedelta(minutes=2 ** min(attempts - 1, 10)), OWED_BACKOFF_MAX)
        OwedTask.objects.filter(pk=row.pk).update(
            claimed_at=None, attempts=attempts, last_error=_error_text(exc), run_after=timezone.now() + delay
        )
    except DatabaseError:
        return  # the database is away: the stale claim brings the row back
    if attempts == OWED_DEAD_AFTER:
        dead_letter_record(task=task_name, args=f"({object_id})", error=_error_text(exc), retries=attempts)


@contextmanager
def owed_run(task_name: str, object_id: int) -> Iterator[None]:
    """Run owed work: claim its row, and delete it when the body succeeds, unless a newer change
    made it owed again meanwhile (then it is released for the next run). Without a row (the work
    was done already, or queued by hand) the body runs all the same: every owed task is idempotent."""
    now = timezone.now()
    token = OwedTask.objects.filter(task=task_name, object_id=object_id).values_list("token", flat=True).first()
    if token is not None:
        OwedTask.objects.filter(task=task_name, object_id=object_id).update(claimed_at=now)
    try:
        yield
    except Exception as exc:
        if token is not None:
            _failed(task_name, object_id, token, exc)
        raise
    if token is not None:
        deleted, _ = OwedTask.objects.filter(task=task_name, object_id=object_id, token=token).delete()
        if not deleted:
            # Changed while we ran: owed again, due at once (its own wake-up message is on its way).
            OwedTask.objects.filter(task=task_name, object_id=object_id).update(claimed_at=None)


def owed_pending(task_name: str, object_ids: Iterable[int]) -> set[int]:
    """Which of these ids still have ``task_name`` owed."""
    return set(
        OwedTask.objects.filter(task=task_name, object_id__in=list(object_ids)).values_list("object_id", flat=True)
    )


def owed_due(now: dt.datetime) -> Q:
    """Rows the sweeper should run: unclaimed and past the grace, or claimed by a dead worker."""
    return Q(run_after__lte=now) & (
        Q(claimed_at__isnull=True, owed_at__lt=now - OWED_GRACE) | Q(claimed_at__lt=now - OWED_STALE)
    )


def _claim_next(now: dt.datetime, seen: set[int] | None = None) -> OwedTask | None:
    with transaction.atomic():
        # SKIP LOCKED: sweeps running at once on several workers take different rows.
        due = OwedTask.objects.select_for_update(skip_locked=True).filter(owed_due(now)).exclude(pk__in=seen or ())
        row = due.order_by("run_after", "id").first()
        if row is not None:
            OwedTask.objects.filter(pk=row.pk).update(claimed_at=timezone.now())
        return row


def owed_sweep(*, now: dt.datetime | None = None, seconds: float = OWED_SWEEP_SECONDS) -> int:
    """Run owed work whose message was lost or whose worker died, in this process, for up to
    ``seconds``; returns how many rows were run (successfully or not)."""
    now = now or timezone.now()
    deadline = time.monotonic() + seconds
    ran = 0
    seen: set[int] = set()  # each row once a sweep, whatever its outcome
    while time.monotonic() < deadline:
        row = _claim_next(now, seen)
        if row is None:
            break
        seen.add(row.pk)
        task = current_app.tasks.get(row.task)
        ran += 1
        if task is None:
            _failed(row.task, row.object_id, row.token, LookupError(f"no task named {row.task}"))
            continue
        try:
            task.run(row.object_id)  # the body claims again and deletes the row when done
        except Exception as exc:  # recorded on the row by owed_run; the sweep goes on with the next
            logger.warning("Owed %s(%s) failed (%s)", row.task, row.object_id, type(exc).__name__)
    return ran


def _ids_only(args: object) -> str:
    """The arguments if they are ids (numbers or lists of numbers), else "(hidden)": a login code or
    any other secret never reaches the log or the dead letter."""
    values = list(args) if isinstance(args, list | tuple) else []
    flat = [v for a in values for v in (a if isinstance(a, list) else [a])]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in flat):
        return repr(tuple(values))
    return "(hidden)"


def task_failed_for_good(sender: object = None, task_id: str = "", exception: BaseException | None = None,
                         args: object = None, **_kwargs: object) -> None:  # fmt: skip
    """Celery's task_failure signal: a task failed after its last retry (or was not retried)."""
    name = str(getattr(sender, "name", sender))
    request = getattr(sender, "request", None)
    shown = getattr(request, "argsrepr", None) or _ids_only(args)
    retries = int(getattr(request, "retries", 0) or 0)
    dead_letter_record(
        task=name, args=str(shown), error=_error_text(exception or RuntimeError("?")), retries=retries,
        task_id=task_id or "",
    )  # fmt: skip
