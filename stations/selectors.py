"""Read-side queries of the youth stations (public pages)."""

from __future__ import annotations

from typing import cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus, ServicePointStatus

from .models import YouthStation


def _open_postings() -> Q:
    today = timezone.localdate()
    return Q(postings__status=PostingStatus.PUBLISHED) & (
        Q(postings__expires_on__isnull=True) | Q(postings__expires_on__gte=today)
    )


def station_list() -> QuerySet[YouthStation]:
    """Operating youth stations with their count of open postings (named sites first, then demo)."""
    # The manager is inherited from ServicePoint, so the stubs type its rows as ServicePoint.
    return cast(
        "QuerySet[YouthStation]",
        YouthStation.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .annotate(open_postings=Count("postings", filter=_open_postings()))
        .order_by("is_demo", "name"),
    )


def station_get(*, pk: int) -> YouthStation | None:
    """One youth station for its public page, or None."""
    if not 0 < pk < 2**62:
        return None
    return cast(
        "YouthStation | None",
        YouthStation.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .filter(pk=pk)
        .first(),
    )
