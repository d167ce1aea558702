"""What the seeker's page shows of the matching: recommendations with their reasons in words,
and applications with their status.

``Match.reasons`` shape (agreed with the engine; the engine's ``Factor`` dataclass, as dicts)::

    [{"name": "skills", "points": 38.5,
      "detail": {"matched": [{"skill": "保洁员", "how": "exact" | "alias" | "category"}]}},
     {"name": "distance", "points": 17.0, "detail": {"km": 2.3}},
     {"name": "wage", "points": 12.0,
      "detail": {"wage": 200, "unit": "day", "expected": 180, "expected_unit": "day"}},
     {"name": "schedule", "points": 8.0, "detail": {"fits": true}},
     {"name": "suitability", "points": 3.0, "detail": {"flags": ["older_ok", "mother_flexible"]}},
     {"name": "freshness", "points": 2.0, "detail": {"days": 1}}]

The renderer is defensive: unknown factors, missing keys and wrong types are skipped, never
raised, so a newer engine cannot break the page.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xiangtan_jobs.core.enums import PostingStatus
from xiangtan_jobs.core.models import SeekerRegistration

from .enums import UNTOUCHED_STATUSES, MatchStatus
from .models import Match

# Marked for translation here, translated where they are used (``_(UNIT_PREFIX[unit])``).
UNIT_PREFIX = {
    "hour": gettext_noop("时薪"),
    "day": gettext_noop("日薪"),
    "month": gettext_noop("月薪"),
    "piece": gettext_noop("计件"),
}
UNIT_SUFFIX = {
    "hour": gettext_noop("元/小时"),
    "day": gettext_noop("元/天"),
    "month": gettext_noop("元/月"),
    "piece": gettext_noop("元/件"),
}
SUITABILITY_WORDS = {"older_ok": "欢迎大龄劳动者", "disability_ok": "适合残疾人", "mother_flexible": "宝妈灵活时间"}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _amount(value: float) -> str:
    # 183.91 元 (a monthly wish turned daily) reads as 184 元; 12.5 元 an hour stays as it is.
    return f"{value:.0f}" if value == int(value) or value >= 100 else f"{value:.1f}"


def _skills(detail: dict[str, Any]) -> list[str]:
    matched = detail.get("matched")
    if not isinstance(matched, list):
        return []
    exact: list[str] = []
    near: list[str] = []
    category: list[str] = []
    for item in matched:
        if not isinstance(item, dict) or not isinstance(item.get("skill"), str):
            continue
        how = item.get("how")
        (exact if how == "exact" else near if how == "alias" else category).append(item["skill"])
    # Each skill once, under its best way of matching (the engine lists one item per pair).
    exact = list(dict.fromkeys(exact))
    near = [s for s in dict.fromkeys(near) if s not in exact]
    category = [s for s in dict.fromkeys(category) if s not in exact and s not in near]
    lines = []
    if exact:
        lines.append(_("技能匹配: %(skills)s ✓") % {"skills": "、".join(exact)})
    if near:
        lines.append(_("相近技能: %(skills)s ✓") % {"skills": "、".join(near)})
    if category:
        lines.append(_("同类工作: %(skills)s") % {"skills": "、".join(category)})
    return lines


def _distance(detail: dict[str, Any]) -> list[str]:
    km = _number(detail.get("km"))
    return [] if km is None or km < 0 else [_("距离 %(km).1f 公里") % {"km": km}]


def _wage(detail: dict[str, Any]) -> list[str]:
    wage, unit = _number(detail.get("wage")), detail.get("unit")
    if wage is None or unit not in UNIT_PREFIX:
        return []
    text = _("%(prefix)s %(wage)s 元") % {"prefix": _(UNIT_PREFIX[unit]), "wage": _amount(wage)}
    expected, expected_unit = _number(detail.get("expected")), detail.get("expected_unit") or unit
    if expected is None or expected <= 0:
        return [text]
    if expected_unit == unit:
        sign = "≥" if wage >= expected else "<"
        return [
            _("%(text)s %(sign)s 期望 %(expected)s 元") % {"text": text, "sign": sign, "expected": _amount(expected)}
        ]
    if expected_unit in UNIT_SUFFIX:
        return [
            _("%(text)s（期望 %(expected)s %(unit)s）")
            % {"text": text, "expected": _amount(expected), "unit": _(UNIT_SUFFIX[expected_unit])}
        ]
    return [text]


def _schedule(detail: dict[str, Any]) -> list[str]:
    return [_("上班时间合适")] if detail.get("fits", True) else []


def _suitability(detail: dict[str, Any]) -> list[str]:
    flags = detail.get("flags")
    if not isinstance(flags, list):
        return []
    return [_(SUITABILITY_WORDS[f]) for f in flags if isinstance(f, str) and f in SUITABILITY_WORDS]


def _freshness(detail: dict[str, Any]) -> list[str]:
    days = _number(detail.get("days"))
    if days is None or days < 0:
        return []
    return [_("今天新发布")] if days < 1 else [_("%(n)d 天前发布") % {"n": int(days)}]


RENDERERS = {
    "skills": _skills,
    "distance": _distance,
    "wage": _wage,
    "schedule": _schedule,
    "suitability": _suitability,
    "freshness": _freshness,
}


def reasons_in_words(reasons: Any) -> list[str]:
    """The engine's factors as short Chinese phrases (技能匹配: 保洁员 ✓; 距离 2.3 公里; …)."""
    if not isinstance(reasons, list):
        return []
    lines: list[str] = []
    for factor in reasons:
        if not isinstance(factor, dict):
            continue
        render = RENDERERS.get(factor.get("name"))  # type: ignore[arg-type]  # stored JSON
        detail = factor.get("detail")
        if render is None or not isinstance(detail, dict):
            continue
        lines.extend(render(detail))
    return lines


def seeker_recommendations(*, seeker: SeekerRegistration, limit: int = 20) -> list[Match]:
    """The engine's current recommendations for a seeker, best first, open postings only."""
    return list(
        Match.objects.filter(seeker=seeker, is_current=True, status__in=UNTOUCHED_STATUSES)
        .filter(posting__status=PostingStatus.PUBLISHED)
        .select_related("posting", "posting__employer", "posting__area")
        .order_by("-score", "id")[:limit]
    )


def seeker_applications(*, seeker: SeekerRegistration) -> QuerySet[Match]:
    """The seeker's applications and what became of them, newest change first."""
    return (
        Match.objects.filter(seeker=seeker)
        .exclude(status__in=UNTOUCHED_STATUSES)
        .select_related("posting", "posting__employer")
        .order_by("-status_changed_at", "-id")
    )


def seeker_application_status(*, posting_id: int, user: Any) -> str | None:
    """Where the user's own application to this posting stands (None if they have not applied)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Match.objects.filter(posting_id=posting_id, seeker__user=user)
        .exclude(status__in=UNTOUCHED_STATUSES)
        .values_list("status", flat=True)
        .first()
    )


def seeker_matches_export(*, seeker: SeekerRegistration) -> list[dict[str, Any]]:
    """The seeker's matches for the data download."""
    return [
        {
            "posting": m.posting.title,
            "posting_id": m.posting_id,
            "status": m.status,
            "status_label": str(MatchStatus(m.status).label),
            "score": m.score,
            "reasons": reasons_in_words(m.reasons),
            "status_changed_at": m.status_changed_at.isoformat() if m.status_changed_at else None,
        }
        for m in Match.objects.filter(seeker=seeker).select_related("posting")
    ]
