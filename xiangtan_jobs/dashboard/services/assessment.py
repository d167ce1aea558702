"""Closing an assessment month (freezing its figures) and recording adjustments to it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xiangtan_jobs.core.models import ServicePoint, User
from xiangtan_jobs.dashboard.models import AssessmentAdjustment, AssessmentFigure, AssessmentMonth


@transaction.atomic
def assessment_close(*, month: dt.date, actor: User, now: dt.datetime | None = None) -> AssessmentMonth:
    """Freeze a finished month's figures under the scheme in force; a closed month stays closed."""
    from xiangtan_jobs.dashboard.assessment import live_values, month_period, scheme_for

    now = now or timezone.now()
    month = month.replace(day=1)
    if month_period(month).end >= timezone.localtime(now).date():
        raise ValidationError({"month": "这个月还没有结束，结束后才能关账。"}, code="not_over")
    scheme = scheme_for(month)
    if scheme is None:
        raise ValidationError({"month": "还没有适用于这个月的考核方案，请先在后台添加考核方案。"}, code="no_scheme")
    record, _created = AssessmentMonth.objects.select_for_update().get_or_create(
        month=month, defaults={"scheme": scheme}
    )
    if record.closed_at:
        raise ValidationError({"month": "这个月已经关账，数据已冻结；如需更正请录入调整。"}, code="closed")
    record.scheme = scheme
    record.closed_at, record.closed_by = now, actor
    record.save(update_fields=["scheme", "closed_at", "closed_by", "updated_at"])
    AssessmentFigure.objects.bulk_create(
        AssessmentFigure(assessment=record, site_id=site_id, kpi=kpi, value=Decimal(str(value)))
        for site_id, values in live_values(month).items()
        for kpi, value in values.items()
    )
    return record


@transaction.atomic
def assessment_adjust(
    *, month: dt.date, site: ServicePoint, kpi: str, delta: Decimal, reason: str, actor: User
) -> AssessmentAdjustment:
    """Record a correction of a closed month's figure (the frozen figure itself never changes)."""
    from xiangtan_jobs.dashboard.assessment import ASSESSED

    record = AssessmentMonth.objects.select_for_update().filter(month=month.replace(day=1)).first()
    if record is None or record.closed_at is None:
        raise ValidationError({"month": "只有已关账的月份需要录入调整；未关账的月份按实时数据计算。"}, code="open")
    if kpi not in ASSESSED:
        raise ValidationError({"kpi": "请选择考核指标。"}, code="kpi")
    if not reason.strip():
        raise ValidationError({"reason": "请写明调整原因。"}, code="reason")
    if delta == 0:
        raise ValidationError({"delta": "调整量不能为 0。"}, code="delta")
    return AssessmentAdjustment.objects.create(
        assessment=record, site=site, kpi=kpi, delta=delta, reason=reason.strip(), made_by=actor
    )
