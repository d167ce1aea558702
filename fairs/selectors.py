"""Read-side queries of job fairs."""

from __future__ import annotations

from django.utils import timezone

from .enums import FairStatus
from .models import JobFair


def fair_next() -> JobFair | None:
    """The next fair that has not ended yet, or None."""
    return (
        JobFair.objects.filter(status=FairStatus.PUBLISHED, ends_on__gte=timezone.localdate())
        .order_by("starts_on", "id")
        .first()
    )
