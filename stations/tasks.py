"""Celery tasks of the youth stations (thin: they call services)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from .services import consultation_reminders_send


@shared_task(
    name="stations.consultation_reminders",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def consultation_reminders() -> int:
    """The day-before reminders of consultation bookings (beat, each evening before the quiet hours)."""
    return consultation_reminders_send()
