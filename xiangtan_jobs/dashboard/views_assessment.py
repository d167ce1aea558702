"""The monthly assessment: ranked table, closing a month, adjustments, the per-site report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.common.spreadsheet import neutralise_row
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.models import ServicePoint
from xiangtan_jobs.core.services import audit_export
from xiangtan_jobs.dashboard.assessment import ASSESSED, assessment_table
from xiangtan_jobs.dashboard.pdf import report_pdf
from xiangtan_jobs.dashboard.selectors import today
from xiangtan_jobs.dashboard.services import assessment_adjust, assessment_close
from xiangtan_jobs.dashboard.views import is_bureau, own_site_ids


def _month(request: HttpRequest) -> dt.date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    try:
        return dt.date.fromisoformat(f"{raw}-01").replace(day=1)
    except ValueError:
        last = today().replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1)


def _guard(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user):
        raise PermissionDenied(_("只有人社局工作人员可以查看运营考核"))
    return None


def assessment_view(request: HttpRequest) -> HttpResponse:
    """The ranked table of a month with each site's figures, score, band and subsidy."""
    if (response := _guard(request)) is not None:
        return response
    month = _month(request)
    record, scheme, rows = assessment_table(month)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, f"assessment-{month:%Y-%m}", _ranked_sheet(month, scheme, rows), rows=len(rows))
    context = {
        "month": month,
        "record": record,
        "scheme": scheme,
        "rows": rows,
        "kpis": list(ASSESSED.items()),
        "sites": ServicePoint.objects.filter(pk__in=[r.site_id for r in rows]).order_by("name"),
        "adjustments": record.adjustments.select_related("site", "made_by") if record else [],
        "can_close": record is None or record.closed_at is None,
    }
    return render(request, "dashboard/assessment.html", context)


def _ranked_sheet(month: dt.date, scheme: Any, rows: list[Any]) -> list[list[Any]]:
    out: list[list[Any]] = [
        [_("月份"), f"{month:%Y-%m}", _("考核方案版本"), scheme.version if scheme else "—"],
        [_("排名"), _("服务点"), _("类型")]
        + [str(label) for label in ASSESSED.values()]
        + [_("得分"), _("等级"), _("月补贴(元)")],
    ]
    for r in rows:
        out.append(
            [r.rank, r.site_name, r.kind]
            + [r.values.get(code, 0) for code in ASSESSED]
            + [r.score, r.band, float(r.subsidy)]
        )
    return out


def _xlsx(request: HttpRequest, name: str, lines: list[list[Any]], *, rows: int) -> HttpResponse:
    audit_export(user=acting_user(request), what=f"dashboard {name} XLSX", rows=rows, request=request)
    book = Workbook()
    sheet = book.active
    for line in lines:
        sheet.append(neutralise_row(v if isinstance(v, int | float) else str(v) for v in line))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A site's monthly report: printable HTML (print CSS), PDF or Excel, naming the scheme version."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user) and pk not in own_site_ids(request.user):
        raise PermissionDenied(_("只能查看自己服务点的考核报告"))
    month = _month(request)
    record, scheme, rows = assessment_table(month)
    row = next((r for r in rows if r.site_id == pk), None)
    if row is None:
        raise Http404(_("这个服务点不参加考核"))
    lines: list[list[object]] = [
        [str(label), row.values.get(code, 0), str(row.adjusted.get(code, ""))] for code, label in ASSESSED.items()
    ]
    status = _("已关账") if record and record.closed_at else _("未关账（实时数据）")
    head: list[list[object]] = [
        [_("服务点"), row.site_name],
        [_("月份"), f"{month:%Y-%m}"],
        [_("考核方案版本"), scheme.version if scheme else "—"],
        [_("状态"), status],
    ]
    tail: list[list[object]] = [
        [_("得分"), row.score],
        [_("排名"), f"{row.rank} / {len(rows)}"],
        [_("等级"), row.band or "—"],
        [_("月补贴(元)"), float(row.subsidy)],
    ]
    header: list[object] = [_("指标"), _("数值"), _("其中调整")]
    name = f"report-{pk}-{month:%Y-%m}"
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, name, [*head, header, *lines, *tail], rows=len(lines))
    if request.GET.get("format") == "pdf":
        title = f"{row.site_name} · {month:%Y-%m} {_('运营考核报告')}"
        table = [header, *([label, value, adj or "—"] for label, value, adj in lines), *([*t, ""] for t in tail)]
        audit_export(user=acting_user(request), what=f"dashboard {name} PDF", rows=len(lines), request=request)
        response = HttpResponse(report_pdf(title=title, head=head, table=table), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    context = {"month": month, "record": record, "scheme": scheme, "row": row, "lines": lines, "total": len(rows)}
    return render(request, "dashboard/report.html", context)


@require_POST
def close_view(request: HttpRequest) -> HttpResponse:
    if (response := _guard(request)) is not None:
        return response
    month = _month(request)
    try:
        assessment_close(month=month, actor=acting_user(request))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("%(month)s 已关账，数据已冻结。") % {"month": f"{month:%Y-%m}"})
    return redirect(reverse("dashboard:assessment") + f"?month={month:%Y-%m}")


@require_POST
def adjust_view(request: HttpRequest) -> HttpResponse:
    if (response := _guard(request)) is not None:
        return response
    month = _month(request)
    site_id = parse_id(request.POST.get("site"))
    site = ServicePoint.objects.filter(pk=site_id).first() if site_id is not None else None
    try:
        delta = Decimal(request.POST.get("delta", "").strip())
        if not delta.is_finite() or abs(delta) >= Decimal("1e9"):
            raise InvalidOperation
    except InvalidOperation:
        messages.error(request, _("调整量应为数字，例如 3 或 -2.5"))
        return redirect(reverse("dashboard:assessment") + f"?month={month:%Y-%m}")
    if site is None:
        messages.error(request, _("请选择服务点"))
        return redirect(reverse("dashboard:assessment") + f"?month={month:%Y-%m}")
    try:
        assessment_adjust(
            month=month,
            site=site,
            kpi=request.POST.get("kpi", ""),
            delta=delta.quantize(Decimal("0.1")),
            reason=request.POST.get("reason", ""),
            actor=acting_user(request),
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("调整已记录。"))
    return redirect(reverse("dashboard:assessment") + f"?month={month:%Y-%m}")
