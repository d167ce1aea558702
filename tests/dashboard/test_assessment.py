"""The monthly assessment: scores by the scheme, a closed month frozen, adjustments recorded."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.clock import TODAY
from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import ServiceRecord
from xiangtan_jobs.dashboard.assessment import assessment_table
from xiangtan_jobs.dashboard.kpis import Period, kpi_value
from xiangtan_jobs.dashboard.models import AssessmentFigure, AssessmentScheme
from xiangtan_jobs.dashboard.services import assessment_adjust, assessment_close, rollup_refresh

pytestmark = pytest.mark.django_db

MONTH = TODAY.replace(day=1)  # the world's facts are in this month (November 2026)
LATER = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def scheme(db):
    s = AssessmentScheme.objects.create(version="2025-1", name="试行办法", effective_from=dt.date(2025, 1, 1))
    s.weights.create(kpi="served", weight=60, target=10)
    s.weights.create(kpi="intentions", weight=40, target=2)
    s.bands.create(min_score=90, label="优秀", subsidy=Decimal("20000"))
    s.bands.create(min_score=60, label="合格", subsidy=Decimal("10000"))
    return s


def test_ranked_scores_by_scheme(world, scheme):
    _record, used, rows = assessment_table(MONTH)
    assert used == scheme
    top = rows[0]
    assert top.site_name == "雨湖零工市场"
    # served 6 of 10 → 60 × 0.6 = 36; intentions 2 of 2 → 40; total 76 → 合格
    assert top.score == 76.0
    assert (top.band, top.subsidy) == ("合格", Decimal("10000"))
    assert top.rank == 1


def test_close_freezes_and_adjustment_is_recorded(world, scheme, charlie, time_machine):
    time_machine.move_to(LATER, tick=False)
    record = assessment_close(month=MONTH, actor=charlie)
    frozen = AssessmentFigure.objects.get(assessment=record, site=world.yuhu, kpi="served")
    assert frozen.value == 6
    # A late record of the closed month changes the live KPI but not the frozen assessment.
    ServiceRecord.objects.create(
        service_point=world.yuhu, kind=ServiceKind.CONSULTATION, served_at=LATER.replace(day=28, month=11)
    )
    assert (
        kpi_value(
            "served",
            Period(MONTH, TODAY),
            scope=__import__("xiangtan_jobs.dashboard.kpis", fromlist=["Scope"]).Scope(site_id=world.yuhu.pk),
        )
        == 7
    )
    _r, _s, rows = assessment_table(MONTH)
    assert next(r for r in rows if r.site_id == world.yuhu.pk).values["served"] == 6
    with pytest.raises(ValidationError):
        assessment_close(month=MONTH, actor=charlie)
    assessment_adjust(month=MONTH, site=world.yuhu, kpi="served", delta=Decimal("4"), reason="补录", actor=charlie)
    _r, _s, rows = assessment_table(MONTH)
    row = next(r for r in rows if r.site_id == world.yuhu.pk)
    assert row.values["served"] == 10
    assert row.adjusted["served"] == Decimal("4")
    assert row.score == 100.0 and row.band == "优秀"
    frozen.refresh_from_db()
    assert frozen.value == 6  # never changed
    with pytest.raises(ValidationError):
        assessment_adjust(month=MONTH, site=world.yuhu, kpi="served", delta=Decimal("1"), reason=" ", actor=charlie)


def test_open_month_cannot_close_before_it_ends(world, scheme, charlie):
    with pytest.raises(ValidationError):
        assessment_close(month=MONTH, actor=charlie)


def test_report_excel_and_print(client, world, scheme, charlie):
    client.force_login(charlie)
    url = reverse("dashboard:report", args=[world.yuhu.pk])
    page = client.get(url, {"month": f"{MONTH:%Y-%m}"})
    assert page.status_code == 200
    assert "2025-1" in page.content.decode()
    book = client.get(url, {"month": f"{MONTH:%Y-%m}", "format": "xlsx"})
    values = {r[0]: r[1] for r in load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True)}
    assert values["服务人次"] == 6 and values["得分"] == 76.0 and values["考核方案版本"] == "2025-1"
    ranked = client.get(reverse("dashboard:assessment"), {"month": f"{MONTH:%Y-%m}"})
    assert ranked.status_code == 200


def test_report_pdf_carries_the_same_figures_as_the_excel(client, world, scheme, charlie):
    client.force_login(charlie)
    url = reverse("dashboard:report", args=[world.yuhu.pk])
    pdf = client.get(url, {"month": f"{MONTH:%Y-%m}", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    cells = text.splitlines()  # one table cell per line, label then value
    after = {cells[i]: cells[i + 1] for i in range(len(cells) - 1)}
    assert cells[0] == "雨湖零工市场 · 2026-11 运营考核报告" and "考核方案版本：2025-1" in cells
    assert after["服务人次"] == "6" and after["得分"] == "76" and after["排名"] == "1 / 2"


def test_operator_sees_only_own_report(client, world, scheme, alice):
    client.force_login(alice)
    assert client.get(reverse("dashboard:report", args=[world.yuhu.pk]), {"month": f"{MONTH:%Y-%m}"}).status_code == 200
    assert (
        client.get(reverse("dashboard:report", args=[world.other.pk]), {"month": f"{MONTH:%Y-%m}"}).status_code == 403
    )


def test_rollup_is_idempotent(world):
    days = {"day_from": MONTH, "day_to": TODAY}
    first = rollup_refresh(**days)
    second = rollup_refresh(**days)
    assert first.rows == second.rows > 0
    from xiangtan_jobs.dashboard.models import DailyFigure

    assert DailyFigure.objects.count() == second.rows
