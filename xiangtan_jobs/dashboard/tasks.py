"""Celery glue of the dashboard: the roll-up refresh (nightly by beat, or asked for)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import DatabaseError

from xiangtan_jobs.dashboard.services import rollup_default_days, rollup_refresh

ROLLUP_TASK = "dashboard.rollup_refresh"


@shared_task(
    name=ROLLUP_TASK,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=1500,
    time_limit=1800,
)
def rollup_refresh_task(day_from: str | None = None, day_to: str | None = None) -> int:
    """Rebuild the KPI roll-up of the given ISO days (default: last year and this year to yesterday)."""
    lo, hi = rollup_default_days()
    start = dt.date.fromisoformat(day_from) if day_from else lo
    end = dt.date.fromisoformat(day_to) if day_to else hi
    return rollup_refresh(day_from=start, day_to=end).rows
