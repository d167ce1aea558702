"""The dashboard's tables, built once from a period's figures: the page, the charts' data and the
CSV/Excel exports all render these same rows, so a number cannot differ between them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xiangtan_jobs.common.spreadsheet import neutralise_row, sheet_title
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.enums import KeyGroup
from xiangtan_jobs.core.models import Area, ServicePoint
from xiangtan_jobs.core.services import audit_export
from xiangtan_jobs.dashboard.kpis import CARD_KPIS, KPIS, PEOPLE_KPIS, rate
from xiangtan_jobs.dashboard.selectors import Figures, change

# The KPI columns of the site / district tables (the cards' figures, the answered share beside).
TABLE_KPIS = CARD_KPIS


@dataclass
class Cell:
    value: Any
    # Query string of the drill-down list behind this figure (None: no list).
    drill: str | None = None

    def __str__(self) -> str:
        return "—" if self.value is None else str(self.value)


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def as_lists(self) -> list[list[Any]]:
        return [self.headers] + [[("" if c.value is None else c.value) for c in row] for row in self.rows]


def kpi_label(code: str) -> str:
    return str(KPIS[code].label)


def cards(figs: Figures, prev: dict[str, int]) -> Table:
    table = Table("cards", _("主要指标"), [_("指标"), _("本期"), _("上期"), _("变化(%)"), _("单位")])
    for code in CARD_KPIS:
        now, before = figs.totals.get(code, 0), prev.get(code, 0)
        table.rows.append(
            [
                Cell(kpi_label(code)),
                Cell(now, f"kpi={code}"),
                Cell(before),
                Cell(change(now, before)),
                Cell(str(KPIS[code].unit)),
            ]
        )
    answered, apps = figs.totals.get("answered", 0), figs.totals.get("applications", 0)
    table.rows.append([Cell(_("按时答复率(%)")), Cell(rate(answered, apps)), Cell(None), Cell(None), Cell("%")])
    return table


def months(figs: Figures) -> Table:
    codes = [c for c in CARD_KPIS if not KPIS[c].stock]
    table = Table("months", _("按月趋势"), [_("月份")] + [kpi_label(c) for c in codes])
    for month in figs.period.months():
        table.rows.append([Cell(f"{month:%Y-%m}")] + [Cell(figs.by_month[c].get(month, 0)) for c in codes])
    return table


def sites(figs: Figures, site_list: list[ServicePoint], drill_base: str = "") -> Table:
    table = Table("sites", _("各服务点"), [_("服务点"), _("类型")] + [kpi_label(c) for c in TABLE_KPIS])
    for site in site_list:
        table.rows.append(
            [Cell(site.name), Cell(site.get_kind_display())]
            + [Cell(figs.by_site[c].get(site.pk, 0), f"kpi={c}&site={site.pk}") for c in TABLE_KPIS]
        )
    return table


def districts(figs: Figures, district_list: list[Area]) -> Table:
    table = Table("districts", _("各区县"), [_("区县")] + [kpi_label(c) for c in TABLE_KPIS])
    for area in district_list:
        table.rows.append(
            [Cell(area.name)]
            + [Cell(figs.by_district[c].get(area.pk, 0), f"kpi={c}&district={area.pk}") for c in TABLE_KPIS]
        )
    return table


def groups(figs: Figures) -> Table:
    table = Table("groups", _("重点群体"), [_("群体")] + [kpi_label(c) for c in PEOPLE_KPIS])
    for group in KeyGroup:
        table.rows.append(
            [Cell(str(group.label))]
            + [Cell(figs.by_group[c].get(group.value, 0), f"kpi={c}&group={group.value}") for c in PEOPLE_KPIS]
        )
    return table


def export(table: Table, fmt: str, filename: str, *, request: HttpRequest) -> HttpResponse:
    """A table as CSV (UTF-8 with BOM, so Excel opens the Chinese right) or as an Excel workbook;
    the export is in the audit log (who, which table, how many rows) like every other export."""
    audit_export(
        user=acting_user(request), what=f"dashboard {filename} {fmt.upper()}", rows=len(table.rows), request=request
    )
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = sheet_title(table.title)
        for row in table.as_lists():
            sheet.append(neutralise_row(v if isinstance(v, int | float) else str(v) for v in row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        for row in table.as_lists():
            writer.writerow(neutralise_row(row))
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
