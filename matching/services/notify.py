"""Notifications: the day's best new recommendations, once a day, never at night."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from matching.enums import MatchStatus
from matching.models import Match
from matching.services.news import WALK_IN_LOGIN_HINT
from xiangtan_jobs.core.enums import SeekerStatus
from xiangtan_jobs.core.models import InboxMessage
from xiangtan_jobs.core.presenters import wage_text
from xiangtan_jobs.core.services import SmsInput, is_quiet, sms_queue_many

# --- Notifications -------------------------------------------------------------------------------


def seekers_notify(*, seeker_ids: set[int] | None, now: dt.datetime | None = None) -> int:
    """Tell seekers about new strong recommendations: an inbox message and an SMS, at most once a day.

    Runs after every matching write and periodically (beat), so what the night held back goes out
    in the morning. Returns how many seekers were told.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if is_quiet(now):
        return 0
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    fresh = Match.objects.filter(
        is_current=True,
        status=MatchStatus.RECOMMENDED,
        notified_at__isnull=True,
        score__gte=settings.NOTIFY_MIN_SCORE,
        seeker__status=SeekerStatus.ACTIVE,
    )
    if seeker_ids is not None:
        fresh = fresh.filter(seeker_id__in=seeker_ids)
    # An anti-join (NOT EXISTS), not `exclude(seeker_id__in=...)`: PostgreSQL hashes a NOT IN only
    # when its subquery fits in work_mem (4 MB here); after a nightly rematch it did not, and it
    # re-scanned the matches for every candidate row (> 9 minutes; bench/README.md).
    told_today = Match.objects.filter(seeker_id=OuterRef("seeker_id"), notified_at__gte=start_of_day)
    candidates = fresh.filter(~Exists(told_today)).select_related("posting", "seeker")
    ordered = candidates.order_by("seeker_id", "-score", "posting_id")
    # Each seeker's best fresh match: DISTINCT ON in PostgreSQL (after a nightly rematch that is one
    # row for each of ~27,000 seekers, not every fresh match); SQLite keeps the first per seeker.
    postgres = connection.vendor == "postgresql"
    rows = ordered.distinct("seeker_id").iterator(chunk_size=1000) if postgres else list(ordered)
    told = 0
    batch: dict[int, Match] = {}
    last = None
    for match in rows:
        if match.seeker_id == last:
            continue  # rows come by seeker, best first: the first is the one to tell
        last = match.seeker_id
        batch[match.seeker_id] = match
        if len(batch) >= 1000:
            told += _notify_batch(batch, local, now)
            batch = {}
    return told + _notify_batch(batch, local, now)


def _notify_batch(best: dict[int, Match], local: dt.datetime, now: dt.datetime) -> int:
    """One inbox message and one SMS per seeker, then their fresh matches marked as told: a few queries
    per thousand seekers, in one transaction. Each seeker's best match is locked first (SKIP LOCKED,
    re-checked as not told): a notify running at the same time (the beat beside a finish) skips the
    seekers this one holds, and a kill leaves nothing half done. The SMS key, one per seeker a day,
    keeps a rerun from texting anyone twice whatever happened."""
    if not best:
        return 0
    with transaction.atomic():
        held = set(
            Match.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[m.pk for m in best.values()], notified_at__isnull=True)
            .values_list("seeker_id", flat=True)
        )
        return _notify_held({s: m for s, m in best.items() if s in held}, local, now)


def _notify_held(best: dict[int, Match], local: dt.datetime, now: dt.datetime) -> int:
    if not best:
        return 0
    messages = []
    texts = []
    for match in best.values():
        seeker, posting = match.seeker, match.posting
        wage = wage_text(posting.wage_min, posting.wage_max, posting.wage_unit)
        text = f"【湘潭就业】为您推荐：{posting.title}，{wage}。登录“我的”页面查看推荐理由。"
        sms = text if seeker.user_id else f"{text}{WALK_IN_LOGIN_HINT}"
        texts.append(
            SmsInput(
                phone=seeker.phone,
                text=sms,
                purpose="recommendation",
                dedupe_key=f"daily-match:{seeker.pk}:{local.date().isoformat()}",
            )
        )
        if seeker.user_id:
            messages.append(
                InboxMessage(
                    user_id=seeker.user_id,
                    dedupe_key=f"daily-match:{local.date().isoformat()}",
                    title="为您推荐了新岗位",
                    body=text,
                    link=f"/jobs/{posting.pk}/",
                )
            )
    # The dedupe key (one per user per day) makes a retried task add nothing twice.
    InboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    sms_queue_many(messages=texts, now=now)
    # On the match's own columns: `fresh` joins the seeker's status, which made each batch's UPDATE a
    # subquery over the matches (3.5 s a batch on the full demo data); these seekers are active.
    Match.objects.filter(
        seeker_id__in=list(best),
        is_current=True,
        status=MatchStatus.RECOMMENDED,
        notified_at__isnull=True,
        score__gte=settings.NOTIFY_MIN_SCORE,
    ).update(notified_at=now)
    return len(best)
