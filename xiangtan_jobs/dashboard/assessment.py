"""The operators' monthly assessment (运营考核): figures per site, score and subsidy band."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.core.models import JobPosting, PostingSkill
from xiangtan_jobs.dashboard.kpis import KPIS, Period, rate
from xiangtan_jobs.dashboard.models import AssessmentMonth, AssessmentScheme
from xiangtan_jobs.dashboard.selectors import figures_for, sites_assessed

# What a scheme can weigh: KPI codes of dashboard.kpis plus two shares in per cent.
ASSESSED: dict[str, Any] = {
    "postings": _("发布岗位"),
    "served": _("服务人次"),
    "intentions": _("达成就业意向"),
    "trained": _("培训人次"),
    "events": _("举办招聘活动"),
    "answered_rate": _("按时答复率(%)"),
    "completeness": _("数据完整率(%)"),
}


def month_period(month: dt.date) -> Period:
    last = calendar.monthrange(month.year, month.month)[1]
    return Period(month.replace(day=1), month.replace(day=last))


def scheme_for(month: dt.date) -> AssessmentScheme | None:
    """The scheme version in force in a month (the newest that started on or before it)."""
    return (
        AssessmentScheme.objects.filter(effective_from__lte=month)
        .prefetch_related("weights", "bands")
        .order_by("-effective_from", "-id")
        .first()
    )


def completeness_by_site(period: Period, *, include_demo: bool = False) -> dict[int, float | None]:
    """Per site, the share of postings published in the period that carry a skill, a description,
    a contact phone and an expiry date (docs/kpis.md, assessment)."""
    lo, hi = period.bounds()
    qs = JobPosting.objects.filter(published_at__gte=lo, published_at__lt=hi)
    if not include_demo:
        qs = qs.filter(is_demo=False)
    has_skill = Exists(PostingSkill.objects.filter(posting=OuterRef("pk")))
    complete = Q(has_skill=True) & ~Q(description="") & ~Q(contact_phone="") & Q(expires_on__isnull=False)
    rows = (
        qs.annotate(has_skill=has_skill)
        .values("service_point_id")
        .annotate(total=Count("id"), complete=Count("id", filter=complete))
        .order_by()
    )
    return {r["service_point_id"]: rate(r["complete"], r["total"]) for r in rows}


@dataclass
class SiteScore:
    site_id: int
    site_name: str
    kind: str
    values: dict[str, float] = field(default_factory=dict)
    adjusted: dict[str, Decimal] = field(default_factory=dict)
    score: float = 0.0
    band: str = ""
    subsidy: Decimal = Decimal("0")
    rank: int = 0

    @property
    def cells(self) -> list[float]:
        """The figures in the order of ASSESSED (the table's columns)."""
        return [self.values.get(code, 0) for code in ASSESSED]


def _score(values: dict[str, float], scheme: AssessmentScheme) -> float:
    weights = list(scheme.weights.all())
    total = sum(w.weight for w in weights)
    if not total:
        return 0.0
    got = sum(w.weight * min(1.0, float(values.get(w.kpi, 0) or 0) / w.target) for w in weights)
    return float(Decimal(100 * got / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _band(score: float, scheme: AssessmentScheme) -> tuple[str, Decimal]:
    for band in sorted(scheme.bands.all(), key=lambda b: -b.min_score):
        if score >= band.min_score:
            return band.label, band.subsidy
    return "", Decimal("0")


def live_values(month: dt.date, *, include_demo: bool = False) -> dict[int, dict[str, float]]:
    """Each assessed site's figures of a month, counted now by the KPI definitions."""
    period = month_period(month)
    figs = figures_for(period=period, include_demo=include_demo)
    complete = completeness_by_site(period, include_demo=include_demo)
    out: dict[int, dict[str, float]] = {}
    for site in sites_assessed(include_demo=include_demo):
        values = {code: float(figs.by_site[code].get(site.pk, 0)) for code in ASSESSED if code in KPIS}
        answered = figs.by_site["answered"].get(site.pk, 0)
        applications = figs.by_site["applications"].get(site.pk, 0)
        values["answered_rate"] = rate(answered, applications) or 0.0
        values["completeness"] = complete.get(site.pk) or 0.0
        out[site.pk] = values
    return out


def assessment_table(
    month: dt.date, *, include_demo: bool = False
) -> tuple[AssessmentMonth | None, Any, list[SiteScore]]:
    """The ranked table of a month: frozen figures plus adjustments once closed, live before."""
    record = AssessmentMonth.objects.filter(month=month).select_related("scheme").first()
    scheme = record.scheme if record else scheme_for(month)
    sites = sites_assessed(include_demo=include_demo)
    if record and record.closed_at:
        values: dict[int, dict[str, float]] = {s.pk: {} for s in sites}
        for fig in record.figures.all():
            values.setdefault(fig.site_id, {})[fig.kpi] = float(fig.value)
        adjusted: dict[int, dict[str, Decimal]] = {}
        for adj in record.adjustments.all():
            values.setdefault(adj.site_id, {})
            values[adj.site_id][adj.kpi] = values[adj.site_id].get(adj.kpi, 0.0) + float(adj.delta)
            per = adjusted.setdefault(adj.site_id, {})
            per[adj.kpi] = per.get(adj.kpi, Decimal("0")) + adj.delta
    else:
        values, adjusted = live_values(month, include_demo=include_demo), {}
    rows = []
    for site in sites:
        row = SiteScore(site.pk, site.name, site.get_kind_display(), values.get(site.pk, {}), adjusted.get(site.pk, {}))
        if scheme is not None:
            row.score = _score(row.values, scheme)
            row.band, row.subsidy = _band(row.score, scheme)
        rows.append(row)
    rows.sort(key=lambda r: (-r.score, r.site_name))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    return record, scheme, rows
