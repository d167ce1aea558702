"""How fair things look on a page: the ticket's QR code, the results' tables."""

from __future__ import annotations

from typing import Any

import segno
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import KeyGroup


def ticket_qr_svg(code: str, *, scale: int = 6) -> SafeString:
    """The ticket's QR code as inline SVG, drawn on the server (segno); it holds only the code."""
    qr = segno.make(code, error="m")
    # segno escapes nothing it has not generated itself: the code is [0-9A-Z] only.
    svg = qr.svg_inline(scale=scale, border=2, title=None, svgclass="ticket-qr", lineclass=None)
    # segno's own SVG of a server-made code: no user input in it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-hidden="true" focusable="false" ', 1))  # noqa: S308  # nosec B308 B703


def _no_show(percent: int | None) -> str:
    return "—" if percent is None else f"{percent}%"


def results_tables(results: Any) -> list[tuple[str, list[list[Any]]]]:
    """A fair's (or series') results as titled tables, header row first: the page and the
    CSV/Excel exports render these same rows, so a number cannot differ between them."""
    figures_header = [_("报名"), _("签到"), _("未到"), _("洽谈人数"), _("达成意向"), _("录用")]

    def cells(f: Any) -> list[Any]:
        return [f.signed_up, f.checked_in, _no_show(f.no_show_percent), f.met, f.intentions, f.hires]

    def day_name(d: Any) -> str:
        name = f"{d.session.date:%Y-%m-%d}"
        return f"{name} {d.session.fair.title}" if len(results.fairs) > 1 else name

    days = [[_("日期"), *figures_header]]
    days += [[day_name(d), *cells(d.figures)] for d in results.days]
    days.append([_("合计"), *cells(results.total)])
    groups = [[_("日期"), _("群体"), *figures_header]]
    for d in results.days:
        groups += [[day_name(d), str(KeyGroup(code).label), *cells(f)] for code, f in d.groups]
    groups += [[_("合计"), str(KeyGroup(code).label), *cells(f)] for code, f in results.groups]
    names = results.district_names
    districts = [[_("日期"), _("区县"), *figures_header]]
    for d in results.days:
        districts += [[day_name(d), names.get(a, _("未知")), *cells(f)] for a, f in d.districts]
    districts += [[_("合计"), names.get(a, _("未知")), *cells(f)] for a, f in results.districts]
    exhibitors = [[_("展位"), _("单位"), _("岗位"), _("招聘人数"), _("洽谈人数"), _("达成意向"), _("录用")]]
    exhibitors += [
        [r.exhibitor.booth or "-", r.exhibitor.employer.name, r.posts, r.positions, r.met, r.intentions, r.hires]
        for r in results.exhibitors
    ]
    return [
        (str(_("每天")), days),
        (str(_("按重点群体")), groups),
        (str(_("按居住区县")), districts),
        (str(_("参会单位")), exhibitors),
    ]
