"""The portal's own reads: the home page's counts."""

from __future__ import annotations

from django.db.models import Count, Q

from xiangtan_jobs.core.enums import ServicePointKind, WorkType
from xiangtan_jobs.core.models import JobPosting, ServicePoint


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
