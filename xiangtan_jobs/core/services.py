"""Write-side operations on the shared nouns."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import JobPosting


@transaction.atomic
def posting_expire_overdue() -> int:
    """Mark published postings whose expiry date has passed as expired; returns how many."""
    today = timezone.localdate()
    return JobPosting.objects.filter(status=PostingStatus.PUBLISHED, expires_on__lt=today).update(
        status=PostingStatus.EXPIRED, closed_at=timezone.now()
    )
