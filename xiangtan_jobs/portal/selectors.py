"""The portal's own reads: the home page's counts, the job search (page and API share it)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from markets.selectors import IndustryGap, industry_gap
from matching.enums import APPLYABLE_STATUSES, UNTOUCHED_STATUSES, MatchStatus
from matching.models import Match
from matching.presenters import seeker_applications
from matching.services import application_deadline
from stations.selectors import course_open_list
from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.core.enums import ServicePointKind, WorkType
from xiangtan_jobs.core.models import InboxMessage, JobPosting, SeekerRegistration, ServicePoint
from xiangtan_jobs.core.selectors import PostingPage, posting_counts, posting_page, posting_page_by_relevance
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
        posts=Count("id", filter=Q(kind=ServicePointKind.GIG_POST)),
        # Of the markets and stations the sentence counts (gig posts and the HR market are not in it).
        demo_sites=Count(
            "id", filter=Q(is_demo=True, kind__in=(ServicePointKind.GIG_MARKET, ServicePointKind.YOUTH_STATION))
        ),
    )
    # The home page says which sites are real: the demo ones are there to show the portal working.
    real = ServicePoint.objects.active().filter(is_demo=False).order_by("kind", "name").values("pk", "kind", "name")
    return {"open_postings": postings["open"], "open_gigs": postings["gigs"], **sites, "real_sites": list(real)}


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
    if (
        data.get("q")
        and counts["total"] >= KEYWORD_WALK_MIN
        and sort in ("new", "best")
        and connection.vendor == "postgresql"
    ):
        # A common word (保洁: ~2,700 of 42,000): fetching every match to sort them cost 15-25 ms;
        # walking the newest-first index and checking the text finds the page after a few
        # hundred rows (1.5-3.5 ms). Rare words keep the pieces index (the walk would pass most
        # of the list), and so does the wage order: wages cluster by trade, so its walk can be
        # long (17-28 ms measured for 快递, 电工).
        page_qs = f.qs_walking()
    if sort == "best":
        # Title matches walk like the plain keyword page above; the lower tiers are few (the
        # postings that ask for the skill without naming it, then aliases), so the pieces index
        # finds them at once, and they are read only when the page gets that far.
        tiers = f.relevance_tiers(page_qs)
        tiers[1:] = f.relevance_tiers(qs)[1:]
        page = posting_page_by_relevance(tiers, cursor=cursor, size=size)
    else:
        page = posting_page(page_qs, sort=sort, cursor=cursor, size=size, origin=f.origin)
    return PostingSearch(sort=sort, counts=counts, page=page)


# --- My applications (我的申请) with their timelines ---------------------------------------------


@dataclass(frozen=True)
class TimelineStep:
    """One change of an application's status, as the seeker reads it."""

    status: str
    label: str
    at: dt.datetime | None


@dataclass(frozen=True)
class MyApplication:
    """One application (or invitation) on my page: where it stands, how it got there, what I was told."""

    match: Match
    label: str
    timeline: list[TimelineStep]
    news: list[InboxMessage]
    withdrawable: bool
    may_apply: bool
    deadline: dt.datetime | None


def seeker_application_list(*, seeker: SeekerRegistration, user: Any, limit: int = 50) -> list[MyApplication]:
    """The seeker's applications, newest change first, each with its status history (from the
    match's recorded history) and the inbox messages it sent; three queries whatever the count."""
    matches = list(seeker_applications(seeker=seeker).select_related("posting__service_point")[:limit])
    if not matches:
        return []
    ids = [m.pk for m in matches]
    steps: dict[int, list[TimelineStep]] = {pk: [] for pk in ids}
    rows = (
        Match.history.filter(id__in=ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status", "status_changed_at", "history_date")
    )
    for pk, status, changed_at, recorded_at in rows:
        # The history also records rematches' score changes: a step is a change of status, and
        # what only the engine did (recommended, viewed) is not part of the application's story.
        if status in UNTOUCHED_STATUSES or (steps[pk] and steps[pk][-1].status == status):
            continue
        steps[pk].append(TimelineStep(status, str(MatchStatus(status).label), changed_at or recorded_at))
    news: dict[int, list[InboxMessage]] = {pk: [] for pk in ids}
    # Each status message's key names its match ("match:<id>:<status>:<application>", news.py).
    for message in InboxMessage.objects.filter(user=user, dedupe_key__startswith="match:").order_by("created_at")[:500]:
        pk = parse_id(message.dedupe_key.split(":")[1])
        if pk in news:
            news[pk].append(message)
    result = []
    for m in matches:
        timeline = steps[m.pk]
        if not timeline or timeline[-1].status != m.status:  # a row older than its history
            timeline.append(TimelineStep(m.status, str(MatchStatus(m.status).label), m.status_changed_at))
        result.append(
            MyApplication(
                match=m,
                label=str(MatchStatus(m.status).label),
                timeline=timeline,
                news=news[m.pk],
                withdrawable=m.status == MatchStatus.APPLIED,
                may_apply=m.status in APPLYABLE_STATUSES and m.posting.is_open,
                deadline=application_deadline(match=m),
            )
        )
    return result


@dataclass(frozen=True)
class ApplyGate:
    """Why a seeker may not take a gig yet (an industry market's certificate-or-training rule),
    what to do, and the coming courses that teach the missing skills."""

    gap: IndustryGap
    courses: list[Any]


# Courses offered per missing skill on the refusal page.
GATE_COURSES_PER_SKILL = 3


def apply_gate(*, posting: JobPosting, seeker: SeekerRegistration) -> ApplyGate | None:
    """The gig markets' industry gate for an application (None: the seeker may apply), with the
    stations' open courses of each missing skill (their completion lifts the gate)."""
    gap = industry_gap(posting=posting, seeker=seeker)
    if gap is None:
        return None
    courses: list[Any] = []
    for missing in gap.missing:
        courses.extend(course_open_list(skill_id=missing.skill_id)[:GATE_COURSES_PER_SKILL])
    return ApplyGate(gap=gap, courses=courses)
