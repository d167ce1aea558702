"""Retention: registrations nobody used for ``SEEKER_RETENTION_DAYS`` are anonymised (PIPL art. 19).

It lives here, above core, because "used" includes the seeker's applications and the matches staff
moved for them (``Match``); the anonymisation itself is core's ``registration_anonymise``.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from matching.models import Match
from xiangtan_jobs.core.models import SeekerRegistration, ServiceRecord
from xiangtan_jobs.core.services import registration_anonymise, retention_cutoff, retention_purge_messages

RETENTION_CHUNK = 200
# One run stops starting chunks after this long (its task's soft limit is 600 s); the next night,
# or a second run, takes the rest: nothing is lost by stopping.
RETENTION_RUN_SECONDS = 480.0


def seekers_inactive(*, cutoff: dt.datetime) -> QuerySet[SeekerRegistration]:
    """Registrations not anonymised whose every sign of use is older than ``cutoff``: the row's own
    last change (registration, edit, status), the account's last login, an application or a status
    change of one of its matches, a person-time served at a site (a check-in, a consultation)."""
    recent_match = Match.objects.filter(seeker=OuterRef("pk")).filter(
        Q(applied_at__gte=cutoff) | Q(status_changed_at__gte=cutoff)
    )
    recent_service = ServiceRecord.objects.filter(seeker=OuterRef("pk"), served_at__gte=cutoff)
    return (
        SeekerRegistration.objects.not_anonymised()
        .filter(updated_at__lt=cutoff)
        .filter(Q(user__isnull=True) | Q(user__last_login__isnull=True) | Q(user__last_login__lt=cutoff))
        .filter(~Exists(recent_match), ~Exists(recent_service))
    )


def registrations_anonymise_inactive(
    *, now: dt.datetime | None = None, chunk_size: int = RETENTION_CHUNK, max_seconds: float = RETENTION_RUN_SECONDS
) -> int:
    """Anonymise the inactive registrations, one chunk per transaction; returns how many.

    Safe to run twice or at once on two workers: each chunk re-selects what is still due under
    ``SKIP LOCKED``, so a registration is anonymised once, and one used meanwhile is left alone.
    Old texts and login codes (only phone numbers by then) are deleted too.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now)
    started = time.monotonic()
    done = 0
    while time.monotonic() - started < max_seconds:
        with transaction.atomic():
            chunk = list(
                seekers_inactive(cutoff=cutoff)
                .select_related("area", "user")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("id")[:chunk_size]
            )
            if not chunk:
                break
            done += sum(registration_anonymise(registration=r, now=now) for r in chunk)
    retention_purge_messages(now=now)
    return done
