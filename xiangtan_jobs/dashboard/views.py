"""The bureau's dashboard, an operator's own-site page, the big screen, drill-down and exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangtan_jobs.common.masking import mask_name
from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.common.tasks import enqueue
from xiangtan_jobs.core.enums import KeyGroup
from xiangtan_jobs.core.models import ServicePoint
from xiangtan_jobs.dashboard import market, tables
from xiangtan_jobs.dashboard.kpis import CARD_KPIS, KPIS, Period, Scope, kpi_rows
from xiangtan_jobs.dashboard.selectors import (
    city_median,
    districts,
    figures_for,
    rollup_status,
    sites_assessed,
    today,
    totals_for,
)
from xiangtan_jobs.dashboard.tasks import ROLLUP_TASK


def is_bureau(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "is_bureau", False)))


def own_site_ids(user: Any) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(ServicePoint.objects.for_user(user).values_list("id", flat=True))


def parse_period(request: HttpRequest) -> tuple[Period, dict[str, str]]:
    """The chosen period (default: this year to today) and the errors of what was typed."""
    day = today()
    default = Period(day.replace(month=1, day=1), day)
    errors: dict[str, str] = {}
    preset = request.GET.get("preset", "")
    if preset == "month":
        return Period(day.replace(day=1), day), errors
    if preset == "30d":
        return Period(day - dt.timedelta(days=29), day), errors
    if preset == "lastyear":
        return Period(dt.date(day.year - 1, 1, 1), dt.date(day.year - 1, 12, 31)), errors
    raw_start, raw_end = request.GET.get("start", ""), request.GET.get("end", "")
    if not raw_start and not raw_end:
        return default, errors
    try:
        start = dt.date.fromisoformat(raw_start) if raw_start else default.start
    except ValueError:
        errors["start"] = _("开始日期应写成 2026-01-01 这样的格式")
    try:
        end = dt.date.fromisoformat(raw_end) if raw_end else default.end
    except ValueError:
        errors["end"] = _("结束日期应写成 2026-12-31 这样的格式")
    if errors:
        return default, errors
    if end < start:
        return default, {"end": _("结束日期不能早于开始日期")}
    if (end - start).days > 3 * 366 or start.year < 2000:
        return default, {"start": _("时间段最长 3 年，且从 2000 年以后开始")}
    return Period(start, end), errors


def _include_demo(request: HttpRequest) -> bool:
    return request.GET.get("demo") == "1"


def _query(period: Period, include_demo: bool) -> str:
    q = f"start={period.start}&end={period.end}"
    return q + ("&demo=1" if include_demo else "")


def _chart_data(figs: Any, site_table: tables.Table, where_rows: list[dict[str, Any]]) -> dict[str, Any]:
    codes = [c for c in CARD_KPIS if not KPIS[c].stock]
    return {
        "months": [f"{m:%Y-%m}" for m in figs.period.months()],
        "series": [
            {"name": tables.kpi_label(c), "data": [figs.by_month[c].get(m, 0) for m in figs.period.months()]}
            for c in codes[:4]
        ],
        "sites": [row[0].value for row in site_table.rows],
        "site_served": [row[2 + list(tables.TABLE_KPIS).index("served")].value for row in site_table.rows],
        "where": [[r["lng"], r["lat"], r["positions"], r["seekers"], r["area"]] for r in where_rows if r["lat"]],
        "labels": {"positions": _("招聘人数"), "seekers": _("求职中人数"), "served": _("服务人次")},
    }


def _build(request: HttpRequest, period: Period, include_demo: bool) -> dict[str, Any]:
    figs = figures_for(period=period, include_demo=include_demo)
    prev = totals_for(period=period.previous(), include_demo=include_demo)
    site_list = sites_assessed(include_demo=include_demo)
    site_table = tables.sites(figs, site_list)
    return {
        "figs": figs,
        "prev": prev,
        "tables": {
            "cards": tables.cards(figs, prev),
            "months": tables.months(figs),
            "sites": site_table,
            "districts": tables.districts(figs, districts()),
            "groups": tables.groups(figs),
        },
    }


def _market_tables(include_demo: bool) -> tuple[tables.Table, tables.Table, list[dict[str, Any]]]:
    skills = market.skill_balance(include_demo=include_demo)
    skill_table = tables.Table(
        "skills",
        _("按技能的供需与工资"),
        [
            _("技能"),
            _("空缺岗位(人)"),
            _("求职者(人)"),
            _("缺口(+缺人/-缺岗)"),
            _("工资下四分位"),
            _("工资中位数"),
            _("工资上四分位"),
            _("单位"),
        ],
    )
    for r in skills:
        skill_table.rows.append(
            [
                tables.Cell(r["skill"]),
                tables.Cell(r["openings"]),
                tables.Cell(r["seekers"]),
                tables.Cell(r["gap"]),
                tables.Cell(r["q1"]),
                tables.Cell(r["median"]),
                tables.Cell(r["q3"]),
                tables.Cell(r["unit"]),
            ]
        )
    where_rows = market.where(include_demo=include_demo)
    where_table = tables.Table("where", _("按街道/乡镇分布"), [_("街道/乡镇"), _("招聘人数"), _("求职中人数")])
    for r in where_rows:
        where_table.rows.append([tables.Cell(r["area"]), tables.Cell(r["positions"]), tables.Cell(r["seekers"])])
    return skill_table, where_table, where_rows


def dashboard_view(request: HttpRequest) -> HttpResponse:
    """The bureau's dashboard; an operator goes to their own site's page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user):
        sites = own_site_ids(request.user)
        if getattr(request.user, "is_operator", False) and sites:
            return redirect(reverse("dashboard:site", args=[sites[0]]) + "?" + request.GET.urlencode())
        raise PermissionDenied(_("只有人社局工作人员可以查看全市数据看板"))
    period, errors = parse_period(request)
    include_demo = _include_demo(request)
    data = _build(request, period, include_demo)
    skill_table, where_table, where_rows = _market_tables(include_demo)
    skills = skill_table.rows
    context = {
        **data,
        "period": period,
        "previous": period.previous(),
        "errors": errors,
        "include_demo": include_demo,
        "query": _query(period, include_demo),
        "cards": _cards(data["figs"], data["prev"]),
        "skill_table": skill_table,
        "shortages": skills[:5],
        "surpluses": list(reversed(skills[-5:])) if len(skills) > 5 else [],
        "where_table": where_table,
        "chart_data": _chart_data(data["figs"], data["tables"]["sites"], where_rows),
        "rollup": rollup_status(),
    }
    return render(request, "dashboard/dashboard.html", context)


def _cards(figs: Any, prev: dict[str, int], medians: dict[str, float | None] | None = None) -> list[dict[str, Any]]:
    from xiangtan_jobs.dashboard.selectors import change

    out = []
    for code in CARD_KPIS:
        value, before = figs.totals.get(code, 0), prev.get(code, 0)
        out.append(
            {
                "code": code,
                "label": tables.kpi_label(code),
                "unit": KPIS[code].unit,
                "value": value,
                "previous": before,
                "change": change(value, before),
                "median": (medians or {}).get(code),
            }
        )
    return out


def site_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One site's KPIs with the city median of the assessed sites beside each."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user) and pk not in own_site_ids(request.user):
        raise PermissionDenied(_("只能查看自己服务点的数据"))
    site = ServicePoint.objects.filter(pk=pk).first()
    if site is None:
        raise Http404(_("没有这个服务点"))
    period, errors = parse_period(request)
    include_demo = _include_demo(request)
    city = figures_for(period=period, include_demo=include_demo)
    prev = totals_for(period=period.previous(), include_demo=include_demo, site_id=pk)
    own = figures_for(period=period, include_demo=include_demo, site_id=pk)
    ids = [s.pk for s in sites_assessed(include_demo=include_demo)]
    medians = {code: city_median(city, code, ids) for code in CARD_KPIS}
    table = tables.Table("site", site.name, [_("指标"), _("本服务点"), _("全市各点中位数"), _("上期"), _("单位")])
    cards = _cards(own, prev, medians)
    for c in cards:
        table.rows.append(
            [
                tables.Cell(c["label"]),
                tables.Cell(c["value"], f"kpi={c['code']}&site={pk}"),
                tables.Cell(c["median"]),
                tables.Cell(c["previous"]),
                tables.Cell(str(c["unit"])),
            ]
        )
    if request.GET.get("format") in ("csv", "xlsx"):
        return tables.export(table, request.GET["format"], f"site-{pk}-{period.start}-{period.end}", request=request)
    context = {
        "site": site,
        "period": period,
        "errors": errors,
        "include_demo": include_demo,
        "query": _query(period, include_demo),
        "cards": cards,
        "table": table,
        "months": tables.months(own),
    }
    return render(request, "dashboard/site.html", context)


def export_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One of the dashboard's tables as CSV or Excel (the same rows as on the page)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period, _errors = parse_period(request)
    include_demo = _include_demo(request)
    if slug in ("skills", "where"):
        skill_table, where_table, _rows = _market_tables(include_demo)
        table = skill_table if slug == "skills" else where_table
    else:
        built = _build(request, period, include_demo)["tables"]
        if slug not in built:
            raise Http404
        table = built[slug]
    return tables.export(table, fmt, f"{slug}-{period.start}-{period.end}", request=request)


def _drill_row(code: str, obj: Any) -> list[str]:
    """A masked row of the list behind a figure: never a phone or ID number, names masked."""
    at = f"{obj._at:%Y-%m-%d %H:%M}" if obj._at else ""
    if code in ("postings", "positions"):
        return [at, obj.title, str(obj.service_point), str(obj.headcount)]
    # A city fair's day and check-ins belong to no site (docs/kpis.md).
    city = _("全市招聘会（无服务点）")
    if code == "events":
        return [at, obj.title, str(obj.service_point or city), str(obj.attendance)]
    if code in ("served", "trained"):
        return [
            at,
            obj.get_kind_display(),
            str(obj.service_point or city),
            mask_name(obj.seeker.name) if obj.seeker else _("未登记"),
        ]
    if code in ("registered", "active"):
        return [at, mask_name(obj.name), str(obj.area), obj.get_status_display()]
    if code == "fair_checkins":
        return [at, str(obj.session), mask_name(obj.seeker.name), ""]
    return [at, obj.posting.title, mask_name(obj.seeker.name), obj.get_status_display()]


DRILL_HEADERS = {
    "postings": ("发布时间", "岗位", "服务点", "招聘人数"),
    "events": ("开始时间", "活动", "服务点", "参加人次"),
    "served": ("服务时间", "服务类型", "服务点", "求职者"),
    "registered": ("登记时间", "求职者", "居住地", "状态"),
    "fair_checkins": ("签到时间", "场次", "求职者", ""),
    "matches": ("时间", "岗位", "求职者", "状态"),
}
_SELECT = {
    "postings": ("service_point",),
    "events": ("service_point",),
    "served": ("service_point", "seeker"),
    "registered": ("area",),
    "fair_checkins": ("session__fair", "seeker"),
    "matches": ("posting", "seeker"),
}


def _drill_kind(code: str) -> str:
    return {
        "positions": "postings",
        "trained": "served",
        "active": "registered",
        "intentions": "matches",
        "hires": "matches",
        "applications": "matches",
        "answered": "matches",
    }.get(code, code)


def drill_view(request: HttpRequest) -> HttpResponse:
    """The rows behind a figure, masked and paginated, with their count."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    code = request.GET.get("kpi", "")
    if code not in KPIS:
        raise Http404(_("没有这个指标"))
    site_id = parse_id(request.GET.get("site"))
    if not is_bureau(request.user) and (site_id is None or site_id not in own_site_ids(request.user)):
        raise PermissionDenied(_("只能查看自己服务点的数据"))
    group = request.GET.get("group", "")
    if group and group not in KeyGroup.values:
        group = ""
    period, errors = parse_period(request)
    include_demo = _include_demo(request)
    scope = Scope(
        site_id=site_id, district_id=parse_id(request.GET.get("district")), group=group, include_demo=include_demo
    )
    kind = _drill_kind(code)
    qs = kpi_rows(code, period, scope).select_related(*_SELECT[kind])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {
        "code": code,
        "label": tables.kpi_label(code),
        "period": period,
        "errors": errors,
        "headers": DRILL_HEADERS[kind],
        "rows": [_drill_row(code, obj) for obj in page.object_list],
        "page": page,
        "count": page.paginator.count,
        "query": request.GET.copy(),
        "site": ServicePoint.objects.filter(pk=site_id).first() if site_id else None,
        "group_label": KeyGroup(group).label if group else "",
        "note": _("「服务人次」的同日重复签到只计一次，所以列表行数可能多于人次。") if kind == "served" else "",
    }
    return render(request, "dashboard/drill.html", context)


@require_POST
def refresh_view(request: HttpRequest) -> HttpResponse:
    """Queue a roll-up refresh now (on demand; the task is idempotent)."""
    if not is_bureau(request.user):
        raise PermissionDenied
    enqueue(ROLLUP_TASK)
    messages.success(request, _("已开始刷新汇总数据，几分钟后生效。"))
    return redirect("dashboard:home")


def screen_view(request: HttpRequest) -> HttpResponse:
    """The big screen (数据大屏): today's and this year's figures in large type, refreshing itself."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user):
        raise PermissionDenied
    day = today()
    include_demo = _include_demo(request)
    year = figures_for(period=Period(day.replace(month=1, day=1), day), include_demo=include_demo)
    now = figures_for(period=Period(day, day), include_demo=include_demo)
    codes = ("postings", "positions", "events", "served", "intentions", "hires", "registered", "active")
    context = {
        "day": day,
        "rows": [
            {
                "label": tables.kpi_label(c),
                "unit": KPIS[c].unit,
                "today": now.totals.get(c, 0),
                "year": year.totals.get(c, 0),
            }
            for c in codes
        ],
        "sites": tables.sites(year, sites_assessed(include_demo=include_demo)),
        "refresh_seconds": 60,
    }
    return render(request, "dashboard/screen.html", context)
