"""Exports neutralise formula-leading cells (=, +, -, @, tab, CR): the admin's CSV export of postings
and the dashboard's CSV/XLSX tables."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.admin.helpers import admin_url
from tests.admin.test_actions_exports_autocomplete import _export
from tests.factories import PostingFactory
from xiangtan_jobs.common.spreadsheet import neutralise_cell
from xiangtan_jobs.core.resources import PostingResource

pytestmark = pytest.mark.django_db

TITLES = ['=HYPERLINK("http://x.example","点我")', "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", TITLES)
def test_each_formula_lead_is_made_text(value):
    assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("保洁员") == "保洁员" and neutralise_cell(-3) == -3


def test_admin_export_of_postings_has_no_live_formula(client, alice, yuhu):
    for title in TITLES:
        PostingFactory(service_point=yuhu, title=title)
    client.force_login(alice)
    assert client.get(admin_url("core_jobposting", "export")).status_code == 200
    response = _export(client, "core_jobposting", PostingResource)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert {"'" + title for title in TITLES if title[0] not in "\t\r"} <= set(cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_dashboard_exports_have_no_live_formula(client, charlie, yuhu):
    yuhu.name = "=cmd|'/c calc'!A1"
    yuhu.save()
    client.force_login(charlie)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("dashboard:export", args=["sites", fmt]))
        if response.status_code == 404:
            pytest.skip("no per-site table in this dashboard")
        assert response.status_code == 200
        if fmt == "csv":
            cells = [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert "'" + yuhu.name in cells, cells[:40]
        assert yuhu.name not in cells
