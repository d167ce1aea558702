"""Small rendering helpers of the public pages.

Big ``<select>``s are built once per language as plain HTML and the chosen values are marked by
string replacement: rendering ~240 options through Django's widget templates was half the
template time of the list page (docs/architecture.md).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

Choice = tuple[str, str]
_memo: dict[tuple[str, str], tuple[object, str]] = {}


def _build(groups: Sequence[tuple[str, Sequence[Choice]]]) -> str:
    parts: list[str] = []
    for label, choices in groups:
        if label:
            parts.append(f'<optgroup label="{escape(label)}">')
        parts.extend(f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in choices)
        if label:
            parts.append("</optgroup>")
    return "".join(parts)


def options_html(
    key: str,
    groups: Sequence[tuple[str, Sequence[Choice]]],
    selected: Iterable[str],
    *,
    version: object = None,
) -> SafeString:
    """``<option>``s (optionally in ``<optgroup>``s) with ``selected`` marked; memoised per
    ``key``, language and ``version`` (pass the reference-data object so new skills show up)."""
    memo_key = (key, get_language() or "")
    hit = _memo.get(memo_key)
    if hit is None or hit[0] is not version:
        hit = (version, _build(groups))
        _memo[memo_key] = hit
    html = hit[1]
    for value in selected:
        needle = f'<option value="{escape(value)}">'
        html = html.replace(needle, f'<option value="{escape(value)}" selected>', 1)
    return mark_safe(html)  # nosec B308 B703 # noqa: S308 - every value and label is escaped in _build


def cards_html(cards: Iterable[Mapping[str, Any]]) -> SafeString:
    """The result cards as HTML, the same markup as ``includes/posting_card.html`` built in one
    pass: an ``{% include %}`` per card was a third of the list's template time."""

    def esc(value: object) -> str:
        # What django.utils.html.escape does, without its lazy-string wrapper.
        return html.escape(str(value))

    distance_word = esc(gettext("距离"))
    parts: list[str] = []
    for c in cards:
        distance = f" · {distance_word} {esc(c['distance'])}" if c["distance"] else ""
        badges = c["badges"]
        badge_html = (
            '<p class="badges">' + "".join(f'<span class="badge">{esc(b)}</span>' for b in badges) + "</p>"
            if badges
            else ""
        )
        parts.append(
            f'<li class="job-card"><a href="/jobs/{int(c["id"])}/"><h3>{esc(c["title"])}</h3></a>\n'
            f'<p class="wage">{esc(c["wage"])}</p>\n'
            f'<p class="meta">{esc(c["place"])}{distance} · {esc(c["work_type"])} · {esc(c["posted"])}</p>\n'
            f'<p class="meta">{esc(c["employer"])}</p>\n'
            f"{badge_html}</li>\n"
        )
    return mark_safe("".join(parts))  # nosec B308 B703 # noqa: S308 - every value is escaped above
