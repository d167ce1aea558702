"""Celery tasks of the core: thin glue around services (ids in, idempotent, time-limited)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from xiangtan_jobs.core import services


@shared_task(
    name="core.expire_postings",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def expire_postings() -> int:
    """Nightly: close postings past their expiry date (idempotent: a rerun finds none)."""
    return services.posting_expire_overdue()
