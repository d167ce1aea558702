"""QR self check-in at a market: one person-time per seeker, kind, market and day."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import SeekerRegistration, ServicePoint, ServiceRecord
from xiangtan_jobs.core.services import service_record_create

# A self check-in carries this note, so the operators' list tells it from counter entries.
CHECKIN_NOTE = "扫码签到"


def _local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return lo, lo + dt.timedelta(days=1)


# --- check-in: one person-time per seeker, kind, market and day ------------------------------------


@transaction.atomic
def market_check_in(
    *, market: ServicePoint, seeker: SeekerRegistration, kind: str, now: dt.datetime | None = None
) -> tuple[ServiceRecord, bool]:
    """A seeker's QR self check-in: a ServiceRecord of ``kind`` at the market (or at one of its gig
    posts, which counts its own person-times), or the one they already have today (a repeated scan
    counts once, as the KPI counts it); returns (record, created)."""
    if kind not in ServiceKind.values:
        raise ValidationError(_("请选择您今天来办什么事。"), code="kind")
    now = now or timezone.now()
    # Two scans at once must not give two records: lock the seeker's row while we look.
    SeekerRegistration.objects.select_for_update().filter(pk=seeker.pk).first()
    lo, hi = _local_day_bounds(timezone.localtime(now).date())
    existing = ServiceRecord.objects.filter(
        service_point_id=market.pk, seeker=seeker, kind=kind, served_at__gte=lo, served_at__lt=hi
    ).first()
    if existing is not None:
        return existing, False
    record = service_record_create(
        service_point=market, kind=kind, actor=None, seeker=seeker, served_at=now, note=CHECKIN_NOTE
    )
    return record, True
