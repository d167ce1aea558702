"""The portal's Celery tasks: thin glue over its services."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from xiangtan_jobs.portal.alerts import saved_searches_alert

# A failed run is simply the next hour's: the rows say what is still due (portal/alerts.py), so a
# couple of short retries cover a blip and nothing piles up.
RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": 30, "retry_jitter": False, "max_retries": 3}


@shared_task(name="portal.saved_search_alerts", soft_time_limit=600, time_limit=660, **RETRY)
def saved_search_alerts() -> int:
    """Hourly (beat): the saved searches not told today get their new postings, once a day."""
    return saved_searches_alert()
