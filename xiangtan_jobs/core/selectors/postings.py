"""Postings for public lists and pages: keyset pagination, cached counts, the detail page, a site's list."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.models.postings import CARD_COLUMNS
from xiangtan_jobs.core.selectors.geo import distance_sq_expr

# --- keyset pagination --------------------------------------------------------------------------

SORTS = ("best", "new", "wage", "near")
# The card's columns (the same the newest-first index carries), the employer by name.
LIST_FIELDS = (
    "id",
    "published_at",
    *(
        "employer__name" if c == "employer" else f"{c}_id" if c in ("area", "district", "service_point") else c
        for c in CARD_COLUMNS
    ),
)


@dataclass
class PostingPage:
    """One page of results, with the cursors to the next page (None at the end)."""

    rows: list[dict[str, Any]]
    next_cursor: str | None
    size: int
    cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def cursor_encode(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> list[Any] | None:
    """The values of a cursor, or None when it is missing or malformed (then: the first page)."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) and len(values) in (2, 3) else None


def _as_float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62 else None


def _newest_after(qs: QuerySet[JobPosting], values: list[Any] | None) -> QuerySet[JobPosting]:
    """Rows after the cursor's (published_at, id) in newest-first order."""
    from django.utils.dateparse import parse_datetime

    if values and (last := _as_id(values[-1])) and isinstance(values[-2], str):
        when = parse_datetime(values[-2]) if len(values[-2]) < 40 else None
        if when is not None:
            # A row comparison, (published_at, id) < (when, last): one condition the newest-first
            # index seeks on, and one lookup for the ORM to build (the Q-tree form cost the deep
            # pages ~0.5 ms of Python per request more than page 1).
            qs = qs.filter(TupleLessThan(Tuple(F("published_at"), F("id")), (when, last)))
    return qs


def posting_page_by_relevance(
    tiers: list[QuerySet[JobPosting]],
    *,
    cursor: str | None,
    size: int,
) -> PostingPage:
    """One page of a keyword search in relevance order: the tiers' rows in turn (each tier a
    queryset of its own, exclusive of the others), newest first within a tier; the cursor holds
    the tier and the last row's key. One query per tier the page reaches (a common word fills
    page 1 from its title matches alone, and each tier walks the newest-first index as the plain
    list does)."""
    values = cursor_decode(cursor)
    start = 0
    if values and len(values) == 3 and isinstance(values[0], int) and 0 <= values[0] < len(tiers):
        start = values[0]
    else:
        values = None
    rows: list[dict[str, Any]] = []
    for tier in range(start, len(tiers)):
        qs = _newest_after(tiers[tier], values) if tier == start else tiers[tier]
        need = size + 1 - len(rows)
        for row in qs.order_by(F("published_at").desc(), F("id").desc()).values(*LIST_FIELDS)[:need]:
            row["tier"] = tier
            rows.append(row)
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = cursor_encode([last["tier"], last["published_at"].isoformat(), last["id"]])
    return PostingPage(rows=rows, next_cursor=next_cursor, size=size, cursor=cursor if values else None)


def posting_page(
    qs: QuerySet[JobPosting],
    *,
    sort: str,
    cursor: str | None,
    size: int,
    origin: tuple[float, float] | None = None,
) -> PostingPage:
    """One page of postings by keyset (the cursor holds the last row's sort key): no OFFSET, so
    page 2,000 costs what page 1 does. One query."""
    values = cursor_decode(cursor)
    if values is not None and len(values) != 2:
        values = None
    if sort == "near" and origin is not None:
        qs = qs.alias(dist_sq=distance_sq_expr(*origin)).annotate(d2=F("dist_sq"))
        order = [F("d2").asc(), F("id").asc()]
        if values and (key := _as_float(values[0])) is not None and (last := _as_id(values[1])):
            qs = qs.filter(Q(d2__gt=key) | Q(d2=key, id__gt=last))
        key_of = lambda row: [row["d2"], row["id"]]  # noqa: E731
    elif sort == "wage":
        qs = qs.annotate(wd=F("wage_daily"))
        order = [F("wage_daily").desc(nulls_last=True), F("id").desc()]
        if values and (last := _as_id(values[1])):
            key = _as_float(values[0])
            if values[0] is None:
                qs = qs.filter(wage_daily__isnull=True, id__lt=last)
            elif key is not None:
                qs = qs.filter(Q(wage_daily__lt=key) | Q(wage_daily=key, id__lt=last) | Q(wage_daily__isnull=True))
        key_of = lambda row: [row["wage_daily"], row["id"]]  # noqa: E731
    else:
        order = [F("published_at").desc(), F("id").desc()]
        qs = _newest_after(qs, values)
        key_of = lambda row: [row["published_at"].isoformat(), row["id"]]  # noqa: E731
    fields = [*LIST_FIELDS, "d2"] if sort == "near" and origin is not None else list(LIST_FIELDS)
    rows = list(qs.order_by(*order).values(*fields)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = cursor_encode(key_of(rows[-1])) if more and rows else None
    return PostingPage(rows=rows, next_cursor=next_cursor, size=size, cursor=cursor if values else None)


COUNT_CACHE_SECONDS = 60
COUNT_GENERATION_KEY = "portal:count:gen"


def count_generation() -> int:
    """The generation of the cached result counts: bumped whenever a posting (or its skills)
    is saved or deleted, so that a count never outlives a change made through the ORM."""
    return cache.get(COUNT_GENERATION_KEY) or 0


def count_generation_bump(**_kwargs: Any) -> None:
    """Signal receiver (connected in ``CoreConfig.ready``): forget every cached count."""
    try:
        cache.incr(COUNT_GENERATION_KEY)
    except ValueError:
        cache.set(COUNT_GENERATION_KEY, 1, None)


def posting_counts(qs: QuerySet[JobPosting], *, cache_key: str | None = None) -> dict[str, Any]:
    """Total and per-district / per-work-type counts of a result, in one grouped query.

    With ``cache_key`` (the view passes one per normalised filter set) the counts are kept for
    ``settings.PORTAL_COUNT_CACHE_SECONDS`` (60): counting every match is the heaviest part of a list page, and a
    count a minute old is true enough. The key is combined with the count generation and today's
    date, so a saved posting or a new day (expiry) starts a fresh count. Never the rows.
    """
    key = None
    seconds = getattr(settings, "PORTAL_COUNT_CACHE_SECONDS", COUNT_CACHE_SECONDS)
    if cache_key and seconds > 0:
        key = f"{cache_key}:{count_generation()}:{timezone.localdate().isoformat()}"
        hit = cache.get(key)
        if hit is not None:
            return hit
    by_district: dict[int, int] = {}
    by_work_type: dict[str, int] = {}
    total = 0
    for district_id, work_type, n in qs.order_by().values_list("district_id", "work_type").annotate(n=Count("id")):
        total += n
        by_district[district_id] = by_district.get(district_id, 0) + n
        by_work_type[work_type] = by_work_type.get(work_type, 0) + n
    result = {"total": total, "by_district": by_district, "by_work_type": by_work_type}
    if key:
        cache.set(key, result, seconds)
    return result


# --- detail pages -----------------------------------------------------------------------------


def posting_detail(*, pk: int) -> JobPosting | None:
    """A posting for its public page (any status: closed ones say so), with what the page shows."""
    if not 0 < pk < 2**62:
        return None
    return (
        JobPosting.objects.select_related("employer", "area", "district", "service_point")
        .prefetch_related("posting_skills__skill")
        .filter(pk=pk)
        .exclude(status__in=[PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW, PostingStatus.REJECTED])
        .first()
    )


def site_postings(*, site_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The newest open postings collected at one service point."""
    qs = JobPosting.objects.public().filter(service_point_id=site_id).order_by("-published_at", "-id")
    return list(qs.values(*LIST_FIELDS)[:limit])
