"""The bureau's KPIs, each defined once (docs/kpis.md): cards, tables, exports, reports read these.

Every KPI is a `KpiSpec`: a base queryset that annotates each counted row with `_at` (the moment
that dates it), `_site` and `_district` (where it is attributed), plus the aggregate that counts
rows. `kpi_breakdown` groups a KPI by local day × site × district for a period and filter; the
totals, the roll-up (`dashboard.services.rollup`) and the tables are sums over it, so every view
of a figure adds up the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fairs.enums import FairStatus, SignupStatus
from fairs.models import FairSignup
from matching.enums import MatchStatus
from matching.models import Match
from xiangtan_jobs.core.enums import EventKind, SeekerStatus, ServiceKind
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, ServiceRecord, SiteEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Statuses that mean "an intention was reached" (a hire is an intention that went further).
INTENTION_STATUSES = (MatchStatus.INTENTION, MatchStatus.HIRED)
# Statuses by which the operator or employer answered an application.
ANSWER_STATUSES = (
    MatchStatus.CONTACTED,
    MatchStatus.INTERVIEW,
    MatchStatus.INTENTION,
    MatchStatus.HIRED,
    MatchStatus.DECLINED,
)


@dataclass(frozen=True)
class Scope:
    """Which rows a figure covers: all of the city, or one site / district / key group."""

    site_id: int | None = None
    district_id: int | None = None
    group: str = ""
    include_demo: bool = False


CITY = Scope()


@dataclass(frozen=True)
class Period:
    """Local dates, both ends included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes [start 00:00, end + 1 day 00:00) in Asia/Shanghai."""
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=SHANGHAI)
        hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
        return lo, hi

    def previous(self) -> Period:
        """The period to compare with: the same dates a year earlier for a whole-year-like period
        starting on 1 January, otherwise the same number of days just before."""
        if self.start.month == 1 and self.start.day == 1 and self.days > 31:
            return Period(_year_back(self.start), _year_back(self.end))
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def months(self) -> list[dt.date]:
        """First days of the months the period touches."""
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def answer_hours() -> int:
    """The target time within which an application should be answered (DASHBOARD_ANSWER_HOURS)."""
    return int(getattr(settings, "DASHBOARD_ANSWER_HOURS", 72))


def _match_history() -> Any:
    return Match.history.model


def _history_in(statuses: Iterable[str]) -> Callable[[QuerySet[Any], dt.datetime, dt.datetime], QuerySet[Any]]:
    """Matches with a history row of these statuses in [lo, hi): the first such row can only be
    in the period if some such row is."""
    wanted = list(statuses)

    def window(qs: QuerySet[Any], lo: dt.datetime, hi: dt.datetime) -> QuerySet[Any]:
        rows = _match_history().objects.filter(
            id=OuterRef("pk"), status__in=wanted, history_date__gte=lo, history_date__lt=hi
        )
        return qs.filter(Exists(rows))

    return window


def _first_history(statuses: Iterable[str], *, after: Any = None) -> Subquery:
    qs = _match_history().objects.filter(id=OuterRef("pk"), status__in=list(statuses))
    if after is not None:
        qs = qs.filter(history_date__gte=after)
    return Subquery(qs.order_by().values("id").annotate(first=Min("history_date")).values("first")[:1])


# --- the base querysets ---------------------------------------------------------------------


def _postings(include_demo: bool) -> QuerySet[Any]:
    qs = JobPosting.objects.filter(published_at__isnull=False)
    if not include_demo:
        qs = qs.filter(is_demo=False, service_point__is_demo=False)
    return qs.annotate(_at=F("published_at"), _site=F("service_point_id"), _district=F("district_id"))


def _events(include_demo: bool) -> QuerySet[Any]:
    qs = SiteEvent.objects.filter(kind=EventKind.RECRUITMENT, ends_at__lte=timezone.now())
    if not include_demo:
        # exclude, not filter: a city fair's day has no site (docs/kpis.md) and still counts.
        qs = qs.filter(is_demo=False).exclude(service_point__is_demo=True)
    return qs.annotate(
        _at=F("starts_at"),
        _site=F("service_point_id"),
        _district=Coalesce("service_point__area__parent_id", "service_point__area_id", "area__parent_id", "area_id"),
    )


def _services(include_demo: bool, kind: str = "") -> QuerySet[Any]:
    qs = ServiceRecord.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if not include_demo:
        qs = qs.filter(is_demo=False).exclude(service_point__is_demo=True).exclude(seeker__is_demo=True)
    return qs.annotate(
        _at=F("served_at"),
        _site=F("service_point_id"),
        # A city fair's check-in has no site: its district is the fair's (docs/kpis.md).
        _district=Coalesce("service_point__area__parent_id", "service_point__area_id", "area__parent_id", "area_id"),
        # A repeated check-in: the same seeker, kind and (grouped by) site and day count once.
        _key=Case(
            When(seeker__isnull=True, then=Concat(Value("r"), Cast("id", CharField()))),
            default=Concat(Value("s"), Cast("seeker_id", CharField()), Value(":"), F("kind")),
            output_field=CharField(),
        ),
    )


def _matches(include_demo: bool) -> QuerySet[Any]:
    qs = Match.objects.all()
    if not include_demo:
        qs = qs.filter(posting__is_demo=False, seeker__is_demo=False, posting__service_point__is_demo=False)
    return qs.annotate(_site=F("posting__service_point_id"), _district=F("posting__district_id"))


def _intentions(include_demo: bool) -> QuerySet[Any]:
    return (
        _matches(include_demo)
        .filter(status__in=INTENTION_STATUSES)
        .annotate(_at=_first_history(INTENTION_STATUSES, after=None))
    )


def _hires(include_demo: bool) -> QuerySet[Any]:
    return _matches(include_demo).filter(status=MatchStatus.HIRED).annotate(_at=F("status_changed_at"))


def _applications(include_demo: bool) -> QuerySet[Any]:
    return (
        _matches(include_demo)
        .annotate(_at=_first_history([MatchStatus.APPLIED]))
        .filter(_at__isnull=False)
        .annotate(_answered_at=_first_history(ANSWER_STATUSES, after=OuterRef("_at")))
    )


def _answered(include_demo: bool) -> QuerySet[Any]:
    limit = ExpressionWrapper(F("_at") + dt.timedelta(hours=answer_hours()), output_field=DateTimeField())
    return _applications(include_demo).filter(_answered_at__isnull=False, _answered_at__lte=limit)


def _registrations(include_demo: bool) -> QuerySet[Any]:
    qs = SeekerRegistration.objects.all()
    if not include_demo:
        qs = qs.filter(is_demo=False).exclude(service_point__is_demo=True)
    return qs.annotate(
        _at=F("created_at"), _site=F("service_point_id"), _district=Coalesce("area__parent_id", "area_id")
    )


def _active(include_demo: bool) -> QuerySet[Any]:
    return _registrations(include_demo).filter(status=SeekerStatus.ACTIVE)


def _fair_checkins(include_demo: bool) -> QuerySet[Any]:
    qs = FairSignup.objects.filter(status=SignupStatus.CHECKED_IN).exclude(session__fair__status=FairStatus.CANCELLED)
    if not include_demo:
        qs = qs.filter(session__fair__is_demo=False, seeker__is_demo=False)
    return qs.annotate(
        _at=F("checked_in_at"),
        _site=F("session__fair__service_point_id"),
        _district=Coalesce("session__fair__area__parent_id", "session__fair__area_id"),
    )


@dataclass(frozen=True)
class KpiSpec:
    code: str
    label: Any
    unit: Any
    base: Callable[[bool], QuerySet[Any]]
    value: Any
    # Path from the counted row to the seeker's key-group tags (None: not about people).
    group_path: str | None = None
    # A stock (counted at the period's end) rather than a flow over the period.
    stock: bool = False
    # A cheap condition every row dated in [lo, hi) meets, applied before the exact date: a date
    # from a correlated subquery (the first history row) would otherwise be computed for every
    # match in the table (894,260 in the full demo data: 0.5 s a query, dozens a cold page).
    window: Callable[[QuerySet[Any], dt.datetime, dt.datetime], QuerySet[Any]] | None = None


KPIS: dict[str, KpiSpec] = {
    spec.code: spec
    for spec in [
        KpiSpec("postings", _("发布岗位"), pgettext_lazy("unit", "个"), _postings, Count("id")),
        KpiSpec("positions", _("招聘人数"), pgettext_lazy("unit", "人"), _postings, Sum("headcount")),
        KpiSpec("events", _("举办招聘活动"), pgettext_lazy("unit", "场"), _events, Count("id")),
        KpiSpec(
            "served",
            _("服务人次"),
            pgettext_lazy("unit", "人次"),
            _services,
            Count("_key", distinct=True),
            "seeker__tags",
        ),
        KpiSpec(
            "intentions",
            _("达成就业意向"),
            pgettext_lazy("unit", "人次"),
            _intentions,
            Count("id"),
            "seeker__tags",
            window=_history_in(INTENTION_STATUSES),
        ),
        KpiSpec("hires", _("录用人数"), pgettext_lazy("unit", "人"), _hires, Count("id"), "seeker__tags"),
        KpiSpec("registered", _("新增求职登记"), pgettext_lazy("unit", "人"), _registrations, Count("id"), "tags"),
        KpiSpec("active", _("求职中人数"), pgettext_lazy("unit", "人"), _active, Count("id"), "tags", stock=True),
        KpiSpec(
            "applications",
            _("收到申请"),
            pgettext_lazy("unit", "份"),
            _applications,
            Count("id"),
            "seeker__tags",
            window=_history_in([MatchStatus.APPLIED]),
        ),
        KpiSpec(
            "answered",
            _("按时答复申请"),
            pgettext_lazy("unit", "份"),
            _answered,
            Count("id"),
            "seeker__tags",
            window=_history_in([MatchStatus.APPLIED]),
        ),
        KpiSpec(
            "fair_checkins", _("招聘会入场"), pgettext_lazy("unit", "人次"), _fair_checkins, Count("id"), "seeker__tags"
        ),
        KpiSpec(
            "trained",
            _("培训人次"),
            pgettext_lazy("unit", "人次"),
            lambda demo: _services(demo, ServiceKind.TRAINING),
            Count("_key", distinct=True),
            "seeker__tags",
        ),
    ]
}
# The flows kept per day in the roll-up (the stock `active` is always counted live).
ROLLUP_KPIS = tuple(code for code, spec in KPIS.items() if not spec.stock)
# The cards in the order the bureau reads them (the four headline figures of the bureau's reports first).
CARD_KPIS = (
    "postings",
    "events",
    "served",
    "intentions",
    "positions",
    "hires",
    "registered",
    "active",
    "answered",
    "fair_checkins",
)
PEOPLE_KPIS = tuple(code for code in CARD_KPIS if KPIS[code].group_path)


def _scoped(spec: KpiSpec, scope: Scope) -> QuerySet[Any]:
    qs = spec.base(scope.include_demo)
    if scope.site_id is not None:
        qs = qs.filter(_site=scope.site_id)
    if scope.district_id is not None:
        qs = qs.filter(_district=scope.district_id)
    if scope.group:
        if spec.group_path is None:
            return qs.none()
        # Tags are a JSON list of codes; "contains" on JSON is not available on SQLite, and a code
        # in quotes matches only itself (no code is a quoted part of another).
        qs = qs.filter(**{f"{spec.group_path}__icontains": f'"{scope.group}"'})
    return qs


def kpi_breakdown(code: str, period: Period, scope: Scope = CITY) -> list[tuple[dt.date, int | None, int | None, int]]:
    """A KPI per local day × site × district over a period: (day, site id, district id, value)."""
    spec = KPIS[code]
    lo, hi = period.bounds()
    qs = _scoped(spec, scope)
    if spec.window is not None and not spec.stock:
        qs = spec.window(qs, lo, hi)
    if spec.stock:
        rows = qs.filter(_at__lt=hi).values("_site", "_district").annotate(v=spec.value).order_by()
        return [(period.end, r["_site"], r["_district"], int(r["v"] or 0)) for r in rows]
    rows = (
        qs.filter(_at__gte=lo, _at__lt=hi)
        .annotate(_day=TruncDate("_at", tzinfo=SHANGHAI))
        .values("_day", "_site", "_district")
        .annotate(v=spec.value)
        .order_by()
    )
    return [(r["_day"], r["_site"], r["_district"], int(r["v"] or 0)) for r in rows]


def kpi_value(code: str, period: Period, scope: Scope = CITY) -> int:
    """One KPI's figure for a period and filter (the sum of its breakdown)."""
    return sum(row[3] for row in kpi_breakdown(code, period, scope))


def kpi_rows(code: str, period: Period, scope: Scope = CITY) -> QuerySet[Any]:
    """The rows behind a figure (for drill-down lists), newest first."""
    lo, hi = period.bounds()
    spec = KPIS[code]
    qs = _scoped(spec, scope)
    if spec.window is not None and not spec.stock:
        qs = spec.window(qs, lo, hi)
    qs = qs.filter(_at__lt=hi) if spec.stock else qs.filter(_at__gte=lo, _at__lt=hi)
    return qs.order_by("-_at")


def rate(numerator: int, denominator: int) -> float | None:
    """A share in per cent, or None when there is nothing to divide by (shown as "—")."""
    return None if denominator == 0 else round(100.0 * numerator / denominator, 1)
