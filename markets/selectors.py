"""Read-side queries of the gig markets (public pages)."""

from __future__ import annotations

from typing import cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus, ServicePointStatus

from .models import GigMarket


def _open_postings() -> Q:
    today = timezone.localdate()
    return Q(postings__status=PostingStatus.PUBLISHED) & (
        Q(postings__expires_on__isnull=True) | Q(postings__expires_on__gte=today)
    )


def market_list() -> QuerySet[GigMarket]:
    """Operating gig markets with their count of open postings (named sites first, then demo)."""
    # The manager is inherited from ServicePoint, so the stubs type its rows as ServicePoint.
    return cast(
        "QuerySet[GigMarket]",
        GigMarket.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .annotate(open_postings=Count("postings", filter=_open_postings()))
        .order_by("is_demo", "name"),
    )


def market_get(*, pk: int) -> GigMarket | None:
    """One gig market for its public page, or None."""
    if not 0 < pk < 2**62:
        return None
    return cast(
        "GigMarket | None",
        GigMarket.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .filter(pk=pk)
        .first(),
    )
