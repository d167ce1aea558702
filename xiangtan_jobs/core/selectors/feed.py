"""The change feed of public postings for mirroring platforms (/api/v1/jobs/changes/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.selectors.postings import cursor_decode, cursor_encode

# Postings that were ever public: drafts, postings under review and rejected ones never were.
EVER_PUBLIC = (PostingStatus.PUBLISHED, PostingStatus.FILLED, PostingStatus.CLOSED, PostingStatus.EXPIRED)


@dataclass
class FeedChange:
    posting: JobPosting
    change: str  # created | updated | closed


@dataclass
class FeedPage:
    changes: list[FeedChange]
    next_cursor: str
    more: bool


class FeedCursorError(ValueError):
    """A ``since`` that this feed did not hand out."""


def _since(cursor: str | None) -> tuple[dt.datetime, int] | None:
    if not cursor:
        return None
    values = cursor_decode(cursor)
    if values is None or not isinstance(values[0], str) or not isinstance(values[1], int) or len(values[0]) > 40:
        raise FeedCursorError(cursor)
    when = parse_datetime(values[0])
    if when is None or timezone.is_naive(when) or not 0 <= values[1] < 2**62:
        raise FeedCursorError(cursor)
    return when, values[1]


def posting_changes(
    *, since: str | None, limit: int = 100, now: dt.datetime | None = None, queryset: QuerySet[JobPosting] | None = None
) -> FeedPage:
    """Postings created, changed or closed after the cursor, oldest change first.

    The order is (updated_at, id) and the cursor is the last row's pair, so a client following it
    sees each version once. A change becomes visible only when it is ``API_FEED_SETTLE_SECONDS``
    old: updated_at is stamped when a row is saved, not when its transaction commits, so a
    transaction still open could otherwise commit a change behind a cursor already handed out.
    A posting changed again later moves to its new place in the order (its latest version is what
    the client gets next). Two queries (rows with their employer and site, their skills).
    """
    now = now or timezone.now()
    position = _since(since)
    settled = now - dt.timedelta(seconds=settings.API_FEED_SETTLE_SECONDS)
    qs = (queryset if queryset is not None else JobPosting.objects.all()).filter(
        status__in=EVER_PUBLIC, published_at__isnull=False, updated_at__lte=settled
    )
    if position is not None:
        qs = qs.filter(TupleGreaterThan(Tuple(F("updated_at"), F("id")), position))
    rows = list(
        qs.select_related("employer", "service_point")
        .prefetch_related("posting_skills__skill")
        .order_by("updated_at", "id")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    today = timezone.localdate(now)
    changes = []
    for posting in rows:
        open_now = posting.status == PostingStatus.PUBLISHED and (
            posting.expires_on is None or posting.expires_on >= today
        )
        if not open_now:
            change = "closed"
        elif position is None or posting.published_at > position[0]:  # type: ignore[operator]  # published
            change = "created"
        else:
            change = "updated"
        changes.append(FeedChange(posting=posting, change=change))
    if rows:
        last = rows[-1]
        next_cursor = cursor_encode([last.updated_at.isoformat(), last.pk])
    else:
        next_cursor = since or cursor_encode([dt.datetime(2000, 1, 1, tzinfo=dt.UTC).isoformat(), 0])
    return FeedPage(changes=changes, next_cursor=next_cursor, more=more)
