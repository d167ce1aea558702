"""The one SMS outbox of the portal: queue a text, hold it through the quiet hours, send it from a worker.

Every text message except login codes goes through here (status changes of applications,
invitations, the walk-in registration's welcome, recommendations, fair invitations, saved-search
alerts …)::

    sms_queue(phone=..., text=..., purpose="application", dedupe_key=f"match:{pk}", per_day=True)

- ``dedupe_key``: the same key is queued once (a retried task or a repeated event texts nothing
  twice); with ``per_day=True`` the key is per local day of sending, so "at most one SMS a day".
- ``replace=True``: a message with that key not yet sent gets the new text instead (the seeker
  hears the latest news, once); one already sent is left alone and nothing new is queued.
- Quiet hours (settings.NOTIFY_QUIET_HOURS, local time) move ``send_after`` to the morning.

The request only writes a row and, on commit, queues ``core.sms_deliver`` with its id (never the
phone or the text: no personal data in the broker); the beat task ``core.sms_flush`` sends what
is due (held back at night, or whose message was lost) and retries failures. Login codes keep
their own direct path (``login_codes.py``): they are secret (the outbox stores text in clear),
valid five minutes and never held back at night.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xiangtan_jobs.common.sms import sms_send
from xiangtan_jobs.common.tasks import enqueue
from xiangtan_jobs.core.enums import SmsStatus
from xiangtan_jobs.core.models import SmsOutbox

logger = logging.getLogger(__name__)

SMS_DELIVER_TASK = "core.sms_deliver"
SMS_FLUSH_TASK = "core.sms_flush"
SMS_MAX_ATTEMPTS = 5
# A claim this old belongs to a worker that died while calling the provider.
SMS_STALE_CLAIM = dt.timedelta(minutes=10)
SMS_FLUSH_BATCH = 500


def quiet_hours() -> tuple[int, int] | None:
    """The quiet hours (start, end) of settings.NOTIFY_QUIET_HOURS ("21-8"), or None if never quiet."""
    spec = settings.NOTIFY_QUIET_HOURS.strip()
    if not spec:
        return None
    start, end = (int(x) for x in spec.split("-"))
    return start, end


def is_quiet(moment: dt.datetime) -> bool:
    """Whether it is night at this moment (local time): nobody is messaged then."""
    hours = quiet_hours()
    if hours is None:
        return False
    start, end = hours
    hour = timezone.localtime(moment).hour
    return hour >= start or hour < end if start > end else start <= hour < end


def quiet_over(moment: dt.datetime) -> dt.datetime:
    """The moment itself outside the quiet hours, else the end of this night (local time)."""
    if not is_quiet(moment):
        return moment
    _start, end = quiet_hours() or (0, 0)
    local = timezone.localtime(moment)
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += dt.timedelta(days=1)
    return morning


@dataclass(frozen=True)
class SmsInput:
    """One text message to queue (``sms_queue_many``)."""

    phone: str
    text: str
    purpose: str
    dedupe_key: str = ""
    per_day: bool = False


def _key(item: SmsInput, send_after: dt.datetime) -> str:
    if not item.dedupe_key or not item.per_day:
        return item.dedupe_key
    return f"{item.dedupe_key}:{timezone.localdate(send_after).isoformat()}"


def _row(item: SmsInput, now: dt.datetime, quiet: bool) -> SmsOutbox:
    send_after = quiet_over(now) if quiet else now
    return SmsOutbox(
        phone=item.phone,
        text=item.text,
        purpose=item.purpose,
        dedupe_key=_key(item, send_after),
        send_after=send_after,
    )


@transaction.atomic
def sms_queue(
    *,
    phone: str,
    text: str,
    purpose: str,
    dedupe_key: str = "",
    per_day: bool = False,
    replace: bool = False,
    quiet: bool = True,
    now: dt.datetime | None = None,
) -> SmsOutbox | None:
    """Queue one text message (sent by a worker after commit, or after the quiet hours); None when
    the key was already used (and, with ``replace``, the earlier message had already gone)."""
    now = now or timezone.now()
    if not phone or not phone.isdigit():
        return None  # an erased registration ("erased") or a missing number: nobody to text
    row = _row(SmsInput(phone, text, purpose, dedupe_key, per_day), now, quiet)
    if row.dedupe_key:
        earlier = SmsOutbox.objects.select_for_update().filter(dedupe_key=row.dedupe_key).first()
        if earlier is not None:
            if replace and earlier.status == SmsStatus.PENDING:
                SmsOutbox.objects.filter(pk=earlier.pk, status=SmsStatus.PENDING).update(text=text)
                earlier.text = text
                return earlier
            return None
        try:
            with transaction.atomic():  # a savepoint: two events racing for one key
                row.save()
        except IntegrityError:
            return None
    else:
        row.save()
    if row.send_after <= now:
        enqueue(SMS_DELIVER_TASK, row.pk)
    return row


@transaction.atomic
def sms_queue_many(*, messages: Sequence[SmsInput], now: dt.datetime | None = None) -> int:
    """Queue many text messages at once (a morning's recommendations): one insert, one flush task.
    Keys already used are skipped. Returns how many rows the insert was given."""
    now = now or timezone.now()
    rows = [_row(m, now, True) for m in messages if m.phone and m.phone.isdigit()]
    if rows:
        SmsOutbox.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        enqueue(SMS_FLUSH_TASK)
    return len(rows)


def sms_deliver(*, sms_id: int, now: dt.datetime | None = None) -> bool:
    """Send one queued message if it is due and nobody else is sending it; True if it went out.

    The row is claimed with an atomic update, so two workers (a deliver and a flush) never both
    send it. A failure is retried by the flush with a growing delay, then marked failed.
    """
    now = now or timezone.now()
    claimed = SmsOutbox.objects.filter(pk=sms_id, status=SmsStatus.PENDING, send_after__lte=now).update(
        status=SmsStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    row = SmsOutbox.objects.get(pk=sms_id)
    try:
        sms_send(phone=row.phone, text=row.text)
    except Exception as exc:
        # Only the last digits and the error's type: logs hold no personal data.
        logger.error("SMS %s to ***%s failed (%s)", row.pk, row.phone[-4:], type(exc).__name__)
        if row.attempts >= SMS_MAX_ATTEMPTS:
            SmsOutbox.objects.filter(pk=row.pk).update(status=SmsStatus.FAILED)
        else:
            retry_at = now + dt.timedelta(minutes=2**row.attempts)
            SmsOutbox.objects.filter(pk=row.pk).update(status=SmsStatus.PENDING, send_after=quiet_over(retry_at))
        return False
    SmsOutbox.objects.filter(pk=row.pk).update(status=SmsStatus.SENT, sent_at=timezone.now())
    return True


def sms_flush(*, now: dt.datetime | None = None, limit: int = SMS_FLUSH_BATCH) -> int:
    """Send what is due, oldest first (beat, every few minutes); dead workers' claims are released
    first. Nothing goes out during the quiet hours. Returns how many were sent."""
    now = now or timezone.now()
    SmsOutbox.objects.filter(status=SmsStatus.SENDING, claimed_at__lt=now - SMS_STALE_CLAIM).update(
        status=SmsStatus.PENDING
    )
    if is_quiet(now):
        return 0
    due = list(
        SmsOutbox.objects.filter(status=SmsStatus.PENDING, send_after__lte=now)
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(sms_deliver(sms_id=pk, now=now) for pk in due)
