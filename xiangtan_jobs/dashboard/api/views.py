"""The bureau's KPIs over the API: the very figures of /dashboard/, read through the same
selectors (``dashboard.selectors.figures_for`` / ``totals_for`` over ``dashboard.kpis``), never
counted a second way. Bureau officers and superusers only; a bureau token limited to one site
gets that site's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xiangtan_jobs.core.admin_scope import request_site_limit
from xiangtan_jobs.core.enums import KeyGroup
from xiangtan_jobs.dashboard.api import serializers as s
from xiangtan_jobs.dashboard.kpis import CARD_KPIS, KPIS, PEOPLE_KPIS, Period, rate
from xiangtan_jobs.dashboard.selectors import (
    change,
    city_median,
    districts,
    figures_for,
    sites_assessed,
    totals_for,
)
from xiangtan_jobs.dashboard.views import is_bureau, parse_period


class IsBureau(permissions.BasePermission):
    message = gettext_lazy("只有人社局工作人员可以查看全市指标。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_active and request.user.is_staff and is_bureau(request.user))


def _period(request: Request) -> tuple[Period, bool]:
    """The dashboard's own period rules (``parse_period``); what it would quietly replace by the
    default is a 400 here, so a partner never reads a year's figures as a month's."""
    query = s.PeriodQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = QueryDict(mutable=True)
    for key in ("preset", "start", "end"):
        if key in query.validated_data:
            value = query.validated_data[key]
            params[key] = value.isoformat() if isinstance(value, dt.date) else value
    shim = HttpRequest()
    shim.GET = params
    period, errors = parse_period(shim)
    if errors:
        raise exceptions.ValidationError({k: [str(v)] for k, v in errors.items()})
    return period, bool(query.validated_data["demo"])


def _values(by: dict[str, dict[Any, int]], key: Any, codes: tuple[str, ...]) -> dict[str, int]:
    return {code: by[code].get(key, 0) for code in codes}


PERIOD_PARAMS = [s.PeriodQuerySerializer]
SUMMARY_EXAMPLE = {
    "period": {"start": "2026-01-01", "end": "2026-11-30"},
    "previous_period": {"start": "2025-01-01", "end": "2025-11-30"},
    "include_demo": False,
    "site": None,
    "cards": [{"code": "postings", "label": "发布岗位", "unit": "个", "value": 1520, "previous": 1300, "change": 16.9}],
    "answered_rate": 87.5,
    "months": [{"month": "2026-11", "values": {"postings": 130}}],
    "districts": [{"id": 1, "name": "雨湖区", "values": {"postings": 410}}],
    "groups": [{"group": "older", "label": "大龄劳动者", "values": {"served": 88}}],
}


class KpiSummaryView(APIView):
    permission_classes = [IsBureau]

    @extend_schema(
        summary="全市主要指标（与数据看板一致）",
        description="数据看板的卡片、按月趋势、各区县和重点群体的数字，取自同一套统计（docs/kpis.md）："
        "日汇总表加上尚未汇总的当天实时数。只限人社局账号或其令牌。日期格式或时间段有误返回 400。",
        parameters=PERIOD_PARAMS,
        responses=s.KpiSummarySerializer,
        examples=[OpenApiExample("今年", value=SUMMARY_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        period, include_demo = _period(request)
        site_id = request_site_limit(request._request)
        figs = figures_for(period=period, include_demo=include_demo, site_id=site_id)
        prev = totals_for(period=period.previous(), include_demo=include_demo, site_id=site_id)
        flows = tuple(c for c in CARD_KPIS if not KPIS[c].stock)
        cards = [
            {
                "code": code,
                "label": str(KPIS[code].label),
                "unit": str(KPIS[code].unit),
                "value": figs.totals.get(code, 0),
                "previous": prev.get(code, 0),
                "change": change(figs.totals.get(code, 0), prev.get(code, 0)),
            }
            for code in CARD_KPIS
        ]
        data = {
            "period": {"start": period.start, "end": period.end},
            "previous_period": {"start": period.previous().start, "end": period.previous().end},
            "include_demo": include_demo,
            "site": site_id,
            "cards": cards,
            "answered_rate": rate(figs.totals.get("answered", 0), figs.totals.get("applications", 0)),
            "months": [{"month": f"{m:%Y-%m}", "values": _values(figs.by_month, m, flows)} for m in period.months()],
            "districts": [
                {"id": a.pk, "name": a.name, "values": _values(figs.by_district, a.pk, CARD_KPIS)} for a in districts()
            ],
            "groups": [
                {"group": g.value, "label": str(g.label), "values": _values(figs.by_group, g.value, PEOPLE_KPIS)}
                for g in KeyGroup
            ],
        }
        return Response(s.KpiSummarySerializer(data).data)


class KpiSitesView(APIView):
    permission_classes = [IsBureau]

    @extend_schema(
        summary="各服务点指标（与数据看板一致）",
        description="数据看板「各服务点」表：每个零工市场、青年驿站的各项指标，及全市各考核点的中位数。",
        parameters=PERIOD_PARAMS,
        responses=s.SitesPageSerializer,
        examples=[
            OpenApiExample(
                "一个服务点",
                value={
                    "period": {"start": "2026-11-01", "end": "2026-11-30"},
                    "include_demo": False,
                    "results": [
                        {
                            "id": 1,
                            "name": "雨湖零工市场",
                            "kind": "gig_market",
                            "values": {"served": 320},
                            "city_median": {"served": 150.0},
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        period, include_demo = _period(request)
        figs = figures_for(period=period, include_demo=include_demo)
        site_list = sites_assessed(include_demo=include_demo)
        ids = [site.pk for site in site_list]
        medians = {code: city_median(figs, code, ids) for code in CARD_KPIS}
        limit = request_site_limit(request._request)
        if limit is not None:
            site_list = [site for site in site_list if site.pk == limit]
        rows = [
            {
                "id": site.pk,
                "name": site.name,
                "kind": site.kind,
                "values": _values(figs.by_site, site.pk, CARD_KPIS),
                "city_median": medians,
            }
            for site in site_list
        ]
        return Response(
            s.SitesPageSerializer(
                {"period": {"start": period.start, "end": period.end}, "include_demo": include_demo, "results": rows}
            ).data
        )
