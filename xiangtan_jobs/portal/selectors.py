"""The portal's own reads: the home page's counts, the job search (page and API share it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from xiangtan_jobs.core.enums import ServicePointKind, WorkType
from xiangtan_jobs.core.models import JobPosting, ServicePoint
from xiangtan_jobs.core.selectors import PostingPage, posting_counts, posting_page
from xiangtan_jobs.portal.filters import PostingFilter

# From this many matches on, a keyword page walks the order's index instead of the pieces index
# (cost ~ 21 × 42,000 / matches rows vs ~ matches rows: equal near 1,000 on the demo data).
KEYWORD_WALK_MIN = 1000


def home_summary() -> dict[str, object]:
    """Counts for the home page: open postings (today's gigs among them) and service points."""
    postings = JobPosting.objects.public().aggregate(
        open=Count("id"), gigs=Count("id", filter=Q(work_type=WorkType.DAY))
    )
    sites = ServicePoint.objects.active().aggregate(
        markets=Count("id", filter=Q(kind=ServicePointKind.GIG_MARKET)),
        stations=Count("id", filter=Q(kind=ServicePointKind.YOUTH_STATION)),
    )
    return {"open_postings": postings["open"], "open_gigs": postings["gigs"], **sites}


def count_cache_key(f: PostingFilter) -> str:
    """The counts' cache key: the normalised filter set (validated values, sorted; paging and
    order left out, as they do not change the result), so page 1, later pages and every order of
    the same search share one count. The rows themselves are never cached."""
    data = f.form.cleaned_data
    items = sorted(
        (k, sorted(v) if isinstance(v, list) else str(v))
        for k, v in data.items()
        if k != "sort" and v not in (None, "", [])
    )
    if f.origin is not None and (data.get("near") or data.get("km")):
        items.append(("origin", f"{f.origin[0]:.6f},{f.origin[1]:.6f}"))
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
    return f"portal:count:{digest}"


@dataclass
class PostingSearch:
    """A search of the public list: its order, counts and one page of rows."""

    sort: str
    counts: dict[str, Any]
    page: PostingPage


def posting_search(f: PostingFilter, *, cursor: str | None, size: int) -> PostingSearch:
    """One page of the public job list for a filter set (the /jobs/ page and /api/v1/jobs/):
    counts in one grouped query (cached a minute), the page by keyset in one more."""
    qs = f.qs
    sort = f.order
    counts = posting_counts(qs, cache_key=count_cache_key(f))
    data = f.form.cleaned_data
    page_qs = qs
    if data.get("q") and counts["total"] >= KEYWORD_WALK_MIN and sort == "new" and connection.vendor == "postgresql":
        # A common word (保洁: ~2,700 of 42,000): fetching every match to sort them cost 15-25 ms;
        # walking the newest-first index and checking the text finds the page after a few
        # hundred rows (1.5-3.5 ms). Rare words keep the pieces index (the walk would pass most
        # of the list), and so does the wage order: wages cluster by trade, so its walk can be
        # long (17-28 ms measured for 快递, 电工).
        page_qs = f.qs_walking()
    page = posting_page(page_qs, sort=sort, cursor=cursor, size=size, origin=f.origin)
    return PostingSearch(sort=sort, counts=counts, page=page)
