"""Reads of the dashboard: the figures of a period from the roll-up plus the live increment."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xiangtan_jobs.core.enums import KeyGroup, ServicePointKind
from xiangtan_jobs.core.models import Area, ServicePoint
from xiangtan_jobs.dashboard.kpis import KPIS, Period, Scope, kpi_breakdown
from xiangtan_jobs.dashboard.models import DailyFigure, RollupRun
from xiangtan_jobs.dashboard.services.rollup import rollup_rows

LIVE_CACHE_SECONDS = 60
# The sites the bureau assesses and compares: the gig markets and the youth stations.
ASSESSED_KINDS = (ServicePointKind.GIG_MARKET, ServicePointKind.YOUTH_STATION)


@dataclass
class Figures:
    """Every KPI of a period, in total and by month, site, district and key group."""

    period: Period
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_month: dict[str, dict[dt.date, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_site: dict[str, dict[int | None, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_district: dict[str, dict[int | None, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    by_group: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, kpi: str, month: dt.date, site: int | None, district: int | None, group: str, value: int) -> None:
        if group:
            self.by_group[kpi][group] += value
            return
        self.totals[kpi] += value
        self.by_month[kpi][month] += value
        self.by_site[kpi][site] += value
        self.by_district[kpi][district] += value


def _covered() -> tuple[dt.date, dt.date] | None:
    """The days the latest finished roll-up refresh rebuilt."""
    run = RollupRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    return (run.day_from, run.day_to) if run else None


def _live_ranges(period: Period, covered: tuple[dt.date, dt.date] | None) -> tuple[Period | None, list[Period]]:
    """Split a period into the part the roll-up holds and the parts to count live (today, gaps)."""
    if covered is None:
        return None, [period]
    lo, hi = max(period.start, covered[0]), min(period.end, covered[1])
    if lo > hi:
        return None, [period]
    live = []
    if period.start < lo:
        live.append(Period(period.start, lo - dt.timedelta(days=1)))
    if period.end > hi:
        live.append(Period(hi + dt.timedelta(days=1), period.end))
    return Period(lo, hi), live


def _live_rows(period: Period, include_demo: bool) -> list[tuple[str, dt.date, int | None, int | None, str, int]]:
    """The roll-up rows of days it does not hold yet, computed now; kept a minute in the cache."""
    key = f"dashboard:live:v1:{period.start}:{period.end}:{int(include_demo)}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            (r.kpi, r.day, r.site_id, r.district_id, r.group, r.value)
            for r in rollup_rows(day_from=period.start, day_to=period.end, include_demo=include_demo)
        ]
        cache.set(key, rows, LIVE_CACHE_SECONDS)
    return rows


def figures_for(*, period: Period, include_demo: bool = False, site_id: int | None = None) -> Figures:
    """All KPIs of a period: the roll-up's days in one grouped query, the rest live (docs/kpis.md)."""
    out = Figures(period=period)
    rolled, live = _live_ranges(period, _covered())
    if rolled is not None:
        qs = DailyFigure.objects.filter(include_demo=include_demo, day__gte=rolled.start, day__lte=rolled.end)
        if site_id is not None:
            qs = qs.filter(site_id=site_id)
        rows = (
            qs.annotate(month=TruncMonth("day"))
            .values_list("kpi", "month", "site_id", "district_id", "group")
            .annotate(v=Sum("value"))
            .order_by()
        )
        for kpi, month, site, district, group, value in rows:
            out.add(kpi, month, site, district, group, value)
    for part in live:
        for kpi, day, site, district, group, value in _live_rows(part, include_demo):
            if site_id is None or site == site_id:
                out.add(kpi, day.replace(day=1), site, district, group, value)
    _add_stock(out, period, include_demo, site_id)
    return out


def _add_stock(out: Figures, period: Period, include_demo: bool, site_id: int | None) -> None:
    """The stock figure (active seekers) at the period's end, always counted live (and, like
    today's live rows, kept a minute in the cache: nine counts over the registrations)."""
    for code, spec in KPIS.items():
        if not spec.stock:
            continue
        key = f"dashboard:stock:v1:{code}:{period.start}:{period.end}:{int(include_demo)}:{site_id}"
        cached = cache.get(key)
        if cached is None:
            scope = Scope(site_id=site_id, include_demo=include_demo)
            groups = {}
            for group in KeyGroup.values:
                grouped = Scope(site_id=site_id, group=group, include_demo=include_demo)
                groups[group] = sum(r[3] for r in kpi_breakdown(code, period, grouped))
            cached = (kpi_breakdown(code, period, scope), groups)
            cache.set(key, cached, LIVE_CACHE_SECONDS)
        rows, groups = cached
        for day, site, district, value in rows:
            out.add(code, day.replace(day=1), site, district, "", value)
        out.by_group[code].update(groups)


def totals_for(*, period: Period, include_demo: bool = False, site_id: int | None = None) -> dict[str, int]:
    """Only the totals of a period (the comparison period of the cards)."""
    return dict(figures_for(period=period, include_demo=include_demo, site_id=site_id).totals)


def sites_assessed(*, include_demo: bool = False) -> list[ServicePoint]:
    """The gig markets and youth stations, in the bureau's order (markets first, by name)."""
    qs = ServicePoint.objects.filter(kind__in=ASSESSED_KINDS).select_related("area")
    if not include_demo:
        qs = qs.filter(is_demo=False)
    return list(qs.order_by("kind", "name"))


def districts() -> list[Area]:
    return list(Area.objects.top_level().order_by("code"))


def city_median(figures: Figures, kpi: str, site_ids: list[int]) -> float | None:
    """The median over the assessed sites of one KPI (an operator's page shows it beside theirs)."""
    if not site_ids:
        return None
    return float(statistics.median(figures.by_site[kpi].get(pk, 0) for pk in site_ids))


def change(current: int, previous: int) -> float | None:
    """Change against the previous period in per cent (None when the previous was 0)."""
    return None if previous == 0 else round(100.0 * (current - previous) / previous, 1)


def rollup_status() -> dict[str, Any]:
    run = RollupRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    return {"finished_at": run.finished_at if run else None, "through": run.day_to if run else None}


def today() -> dt.date:
    return timezone.localdate()
