"""The KPI roll-up: whole local days rebuilt from the KPI definitions (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiangtan_jobs.core.enums import KeyGroup
from xiangtan_jobs.dashboard.kpis import KPIS, ROLLUP_KPIS, Period, Scope, kpi_breakdown
from xiangtan_jobs.dashboard.models import DailyFigure, RollupRun


def rollup_rows(*, day_from: dt.date, day_to: dt.date, include_demo: bool) -> list[DailyFigure]:
    """The roll-up rows of these days, computed (not saved) by the same functions as every figure."""
    period = Period(day_from, day_to)
    rows: list[DailyFigure] = []
    for code in ROLLUP_KPIS:
        groups = [""] + ([g.value for g in KeyGroup] if KPIS[code].group_path else [])
        for group in groups:
            scope = Scope(group=group, include_demo=include_demo)
            for day, site, district, value in kpi_breakdown(code, period, scope):
                if value:
                    rows.append(
                        DailyFigure(
                            day=day,
                            kpi=code,
                            site_id=site,
                            district_id=district,
                            group=group,
                            include_demo=include_demo,
                            value=value,
                        )
                    )
    return rows


@transaction.atomic
def rollup_refresh(*, day_from: dt.date, day_to: dt.date) -> RollupRun:
    """Rebuild the roll-up of these days from scratch (both with and without demo data).

    Replacing whole days, not adding to them, is what makes a rerun (a retried task, beat and an
    on-demand refresh at once) give the same table; a later reversal (an intention withdrawn)
    changes the past days it touches at the next refresh."""
    run = RollupRun.objects.create(day_from=day_from, day_to=day_to, started_at=timezone.now())
    DailyFigure.objects.filter(day__gte=day_from, day__lte=day_to).delete()
    rows = rollup_rows(day_from=day_from, day_to=day_to, include_demo=False)
    rows += rollup_rows(day_from=day_from, day_to=day_to, include_demo=True)
    DailyFigure.objects.bulk_create(rows, batch_size=2000)
    run.rows = len(rows)
    run.finished_at = timezone.now()
    run.save(update_fields=["rows", "finished_at"])
    return run


def rollup_default_days(*, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The nightly refresh: this year and last year up to yesterday (a year-to-date comparison
    reads last year; reversals can reach back that far)."""
    today = today or timezone.localdate()
    return dt.date(today.year - 1, 1, 1), today - dt.timedelta(days=1)
