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


# --- public pages (issue 3) -------------------------------------------------------------------


def fair_upcoming() -> list[JobFair]:
    """Fairs that have not ended, soonest first, with their sessions."""
    return list(
        JobFair.objects.filter(status=FairStatus.PUBLISHED, ends_on__gte=timezone.localdate())
        .select_related("area")
        .prefetch_related("sessions")
        .order_by("starts_on", "id")
    )


def fair_past(*, limit: int = 30) -> list[JobFair]:
    """Fairs that have ended, most recent first."""
    return list(
        JobFair.objects.filter(status=FairStatus.PUBLISHED, ends_on__lt=timezone.localdate())
        .select_related("area")
        .order_by("-starts_on", "-id")[:limit]
    )


def fair_get(*, pk: int) -> JobFair | None:
    """One published fair with its sessions, or None."""
    if not 0 < pk < 2**62:
        return None
    return (
        JobFair.objects.filter(pk=pk, status__in=[FairStatus.PUBLISHED, FairStatus.CANCELLED])
        .select_related("area")
        .prefetch_related("sessions")
        .first()
    )
