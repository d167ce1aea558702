"""Celery tasks of the core: thin glue around services (ids in, idempotent, time-limited)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from xiangtan_jobs.core import services

# Retries outlast a blip of the database or the broker (as matching/tasks.py): 10 s doubling to
# 5 minutes, no jitter, ~20 minutes in all.
OUTLAST = {"retry_backoff": 10, "retry_backoff_max": 300, "retry_jitter": False, "max_retries": 8}


@shared_task(
    name="core.expire_postings",
    autoretry_for=(DatabaseError, BrokerError),
    **OUTLAST,
    soft_time_limit=240,
    time_limit=300,
)
def expire_postings() -> int:
    """Nightly: close postings past their expiry date (idempotent: a rerun finds none)."""
    return services.posting_expire_overdue()


@shared_task(
    name=services.LOGIN_CODE_SMS_TASK,
    # A provider's failure is retried a few times, soon: the code is valid 5 minutes only, and a
    # retry after that (or after a newer code) sends nothing.
    autoretry_for=(DatabaseError, services.LoginCodeSmsFailed),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=3,
    soft_time_limit=30,
    time_limit=45,
)
def send_login_code(login_code_id: int) -> bool:
    """Text a seeker the login code just asked for (queued on commit with the row's id only; the
    request never waits)."""
    return services.login_code_deliver(login_code_id=login_code_id)


@shared_task(
    name=services.SMS_DELIVER_TASK,
    autoretry_for=(DatabaseError, BrokerError),
    **OUTLAST,
    soft_time_limit=30,
    time_limit=45,
)
def sms_deliver(sms_id: int) -> bool:
    """Send one queued text message (queued on commit with the outbox row's id only)."""
    return services.sms_deliver(sms_id=sms_id)


@shared_task(
    name=services.SMS_FLUSH_TASK,
    autoretry_for=(DatabaseError, BrokerError),
    **OUTLAST,
    soft_time_limit=240,
    time_limit=300,
)
def sms_flush() -> int:
    """Every few minutes (beat) and after a bulk queue: send the outbox's due messages."""
    return services.sms_flush()
