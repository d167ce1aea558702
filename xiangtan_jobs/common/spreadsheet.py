"""Cells of every CSV/XLSX export made inert: a text starting with =, +, -, @, a tab or a carriage
return is read by Excel/WPS as a formula (CSV injection: an operator-written title such as
「=HYPERLINK(...)」 became a live link). Such text gets a leading apostrophe, which the spreadsheet
shows as text (OWASP's advice); numbers, dates and other text are left as they are."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(value) for value in values]


class FormulaSafeExportMixin:
    """For django-import-export resources: every exported field goes through neutralise_cell."""

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        return neutralise_cell(super().export_field(field, instance, **kwargs))  # type: ignore[misc]


def sheet_title(text: str) -> str:
    """A name Excel accepts for a sheet: without \\ / * ? : [ ] (openpyxl raises on them, a 500:
    the dashboard's 「住在哪/在哪工作」 table) and at most 31 characters."""
    return re.sub(r"[\\/*?:\[\]]", "·", text)[:31] or "Sheet1"


def tables_export_response(tables: list[tuple[str, list[list[Any]]]], fmt: str, filename: str) -> HttpResponse:
    """Titled tables (title, rows with the header first) as one download: an Excel workbook with a
    sheet per table, or a CSV (UTF-8 with BOM, so Excel opens the Chinese right) with each table
    under its title and a blank line between; every cell neutralised."""
    if fmt == "xlsx":
        book = Workbook()
        book.remove(book.active)
        for title, rows in tables:
            sheet = book.create_sheet(sheet_title(title))
            for row in rows:
                sheet.append(neutralise_row(v if isinstance(v, int | float) else str(v) for v in row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        for n, (title, rows) in enumerate(tables):
            if n:
                writer.writerow([])
            writer.writerow(neutralise_row([title]))
            for row in rows:
                writer.writerow(neutralise_row(row))
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
