"""Cells of every CSV/XLSX export made inert: a text starting with =, +, -, @, a tab or a carriage
return is read by Excel/WPS as a formula (CSV injection: an operator-written title such as
「=HYPERLINK(...)」 became a live link). Such text gets a leading apostrophe, which the spreadsheet
shows as text (OWASP's advice); numbers, dates and other text are left as they are."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
