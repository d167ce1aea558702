"""The public job list (/jobs/) and job detail (/jobs/<id>/), plus the trivial page the benchmark
divides by."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import PostingStatus, Shift, WageUnit, WorkType
from xiangtan_jobs.core.filters import (
    DAYS_CHOICES,
    KM_CHOICES,
    SORT_CHOICES,
    SUITABLE_CHOICES,
    WAGE_UNIT_CHOICES,
    PostingFilter,
)
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.selectors import (
    RefData,
    km_between,
    posting_counts,
    posting_detail,
    posting_page,
    reference_data,
)

from .widgets import cards_html, options_html

HOME_SESSION_KEY = "home_point"
PAGE_SIZES = (20, 50, 100)
WORK_TYPE_LABELS = dict(WorkType.choices)
UNIT_LABELS = dict(WageUnit.choices)
# Parameters that choose a page of a result, not the result itself.
PAGING_PARAMS = ("cursor", "size")
# From this many matches on, a keyword page walks the order's index instead of the pieces index
# (cost ~ 21 × 42,000 / matches rows vs ~ matches rows: equal near 1,000 on the demo data).
KEYWORD_WALK_MIN = 1000


def session_home(request: HttpRequest) -> tuple[float, float] | None:
    """The logged-in seeker's home point, kept in the session at login and registration so
    the list spends no query on it."""
    point = request.session.get(HOME_SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(point, list) and len(point) == 2:
        return float(point[0]), float(point[1])
    return None


def wage_text(wage_min: int, wage_max: int, unit: str, units: dict[str, str] | None = None) -> str:
    """「180–220 元/天」 or 「200 元/天」: the unit is always said."""
    amount = f"{wage_min}" if wage_min == wage_max else f"{wage_min}–{wage_max}"
    return f"{amount} {(units or UNIT_LABELS).get(unit, '')}"


def place_text(label: str, address: str) -> str:
    """「岳塘区东坪街道 · 湘潭大道 157 号」, without saying the district and town twice when the
    address already starts with them (most addresses do)."""
    address = (address or "").strip()
    if not address:
        return label
    if label in address:
        return address
    return f"{label} · {address}"


class CardWords:
    """The words of the result cards in the request's language, translated once per page rather
    than once per card (lazy labels re-translate on every use: a fifth of the list's Python)."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.units = {k: str(v) for k, v in UNIT_LABELS.items()}
        self.work_types = {k: str(v) for k, v in WORK_TYPE_LABELS.items()}
        self.day_gig = _("日结")
        self.older = _("长辈友好")
        self.disability = _("无障碍")
        self.mother = _("灵活时间")
        self.km = _("%(km).1f 公里")
        self.posted_today = _("今天发布")
        self.posted_yesterday = _("昨天发布")
        self.posted_days = _("%(n)s 天前发布")


def posted_text(when: Any, words: CardWords | None = None) -> str:
    if when is None:
        return ""
    words = words or CardWords()
    local = timezone.localtime(when)
    days = (words.today - local.date()).days
    if days <= 0:
        return words.posted_today
    if days == 1:
        return words.posted_yesterday
    if days < 30:
        return words.posted_days % {"n": days}
    return local.strftime("%Y-%m-%d")


def card(
    row: dict[str, Any], ref: RefData, origin: tuple[float, float] | None, words: CardWords | None = None
) -> dict[str, Any]:
    """What one result card shows, formatted in Python (cheaper than template filters)."""
    words = words or CardWords()
    badges = []
    if row["work_type"] == WorkType.DAY:
        badges.append(words.day_gig)
    if row["older_ok"]:
        badges.append(words.older)
    if row["disability_ok"]:
        badges.append(words.disability)
    if row["mother_flexible"]:
        badges.append(words.mother)
    distance = ""
    if origin is not None:
        distance = words.km % {"km": km_between(origin[0], origin[1], row["lat"], row["lng"])}
    return {
        "id": row["id"],
        "title": row["title"],
        "employer": row["employer__name"],
        "wage": wage_text(row["wage_min"], row["wage_max"], row["wage_unit"], words.units),
        "place": ref.area_label(row["area_id"]),
        "distance": distance,
        "work_type": words.work_types.get(row["work_type"], ""),
        "posted": posted_text(row["published_at"], words),
        "badges": badges,
    }


def _query_without(params: list[tuple[str, str]], drop_key: str, drop_value: str | None = None) -> str:
    kept = [(k, v) for k, v in params if not (k == drop_key and (drop_value is None or v == drop_value))]
    kept = [(k, v) for k, v in kept if k not in PAGING_PARAMS]
    return "?" + urlencode(kept) if kept else "?"


def _chips(f: PostingFilter, ref: RefData) -> list[dict[str, str]]:
    """The chosen filters as removable chips (each links to the same search without it)."""
    data = f.form.cleaned_data
    params = [(k, v) for k, values in f.data.lists() for v in values if v != ""]
    labels = {
        "district": lambda v: ref.area_name.get(int(v), ""),
        "town": lambda v: ref.area_name.get(int(v), ""),
        "category": lambda v: dict(ref.categories).get(int(v), ""),
        "skill": lambda v: ref.skill_name.get(int(v), ""),
        "site": lambda v: ref.site_name.get(int(v), ""),
        "days": lambda v: str(dict(DAYS_CHOICES).get(v, "")),
        "km": lambda v: _("%(v)s 公里内") % {"v": v},
    }
    chips = []
    if data.get("q"):
        chips.append({"label": _("关键词：%(q)s") % {"q": data["q"]}, "url": _query_without(params, "q")})
    for key, label_of in labels.items():
        if data.get(key):
            chips.append({"label": label_of(data[key]), "url": _query_without(params, key)})
    for value in data.get("work_type") or []:
        chips.append({"label": str(WORK_TYPE_LABELS[value]), "url": _query_without(params, "work_type", value)})
    for value in data.get("suitable") or []:
        chips.append({"label": str(dict(SUITABLE_CHOICES)[value]), "url": _query_without(params, "suitable", value)})
    if data.get("wage") is not None:
        unit = data.get("wage_unit") or "day"
        chips.append(
            {
                "label": _("工资至少 %(n)s %(unit)s") % {"n": int(data["wage"]), "unit": UNIT_LABELS[unit]},
                "url": _query_without(params, "wage"),
            }
        )
    if data.get("near") and f.origin is not None:
        chips.append({"label": _("按距离筛选"), "url": _query_without(params, "near")})
    return chips


def _count_cache_key(f: PostingFilter) -> str:
    """The counts' cache key: the normalised filter set (validated values, sorted; paging and
    order left out, as they do not change the result), so page 1, later pages and every order of
    the same search share one count. The rows themselves are never cached."""
    data = f.form.cleaned_data
    items = sorted(
        (k, sorted(v) if isinstance(v, list) else str(v))
        for k, v in data.items()
        if k != "sort" and v not in (None, "", [])
    )
    if f.origin is not None and (data.get("near") or data.get("km")):
        items.append(("origin", f"{f.origin[0]:.6f},{f.origin[1]:.6f}"))
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
    return f"portal:count:{digest}"


def posting_list(request: HttpRequest) -> HttpResponse:
    """Search and filter open postings; keyset pages; at most 4 queries whatever the page size."""
    ref = reference_data()
    f = PostingFilter(request.GET, queryset=JobPosting.objects.public(), home=session_home(request))
    qs = f.qs
    sort = f.order
    try:
        size = int(request.GET.get("size", 20))
    except ValueError:
        size = 20
    size = size if size in PAGE_SIZES else 20
    counts = posting_counts(qs, cache_key=_count_cache_key(f))
    data = f.form.cleaned_data
    page_qs = qs
    if data.get("q") and counts["total"] >= KEYWORD_WALK_MIN and sort == "new" and connection.vendor == "postgresql":
        # A common word (保洁: ~2,700 of 42,000): fetching every match to sort them cost 15-25 ms;
        # walking the newest-first index and checking the text finds the page after a few
        # hundred rows (1.5-3.5 ms). Rare words keep the pieces index (the walk would pass most
        # of the list), and so does the wage order: wages cluster by trade, so its walk can be
        # long (17-28 ms measured for 快递, 电工).
        page_qs = f.qs_walking()
    page = posting_page(page_qs, sort=sort, cursor=request.GET.get("cursor"), size=size, origin=f.origin)
    params = [(k, v) for k, values in request.GET.lists() for v in values if k not in PAGING_PARAMS and v != ""]
    next_url = None
    if page.next_cursor:
        next_url = "?" + urlencode([*params, ("cursor", page.next_cursor), *([("size", size)] if size != 20 else [])])
    district_selected = [data["district"]] if data.get("district") else []
    town_selected = [data["town"]] if data.get("town") else []
    words = CardWords()
    cards = [card(row, ref, f.origin, words) for row in page.rows]
    context = {
        "cards": cards,
        "cards_html": cards_html(cards),
        "total": counts["total"],
        "district_counts": [
            {"id": pk, "name": name, "n": counts["by_district"].get(pk, 0), "url": _facet_url(params, "district", pk)}
            for pk, name in ref.districts
            if counts["by_district"].get(pk)
        ],
        "work_type_counts": [
            {
                "value": value,
                "label": label,
                "n": counts["by_work_type"].get(value, 0),
                "checked": value in (data.get("work_type") or []),
            }
            for value, label in WorkType.choices
        ],
        "chips": _chips(f, ref),
        "q": data.get("q") or "",
        "wage": "" if data.get("wage") is None else int(data["wage"]),
        "sort": sort,
        "has_home": f.home is not None,
        "next_url": next_url,
        "first_url": ("?" + urlencode(params)) if page.cursor else None,
        "district_options": options_html(
            "district", [("", [(str(pk), n) for pk, n in ref.districts])], district_selected, version=ref
        ),
        "town_options": options_html(
            "town",
            [
                (name, [(str(t), tn) for t, tn in ref.towns.get(pk, [])])
                for pk, name in ref.districts
                if ref.towns.get(pk)
            ],
            town_selected,
            version=ref,
        ),
        "category_options": options_html(
            "category",
            [("", [(str(pk), n) for pk, n in ref.categories])],
            [data["category"]] if data.get("category") else [],
            version=ref,
        ),
        "skill_options": options_html(
            "skill",
            [(cname, [(str(s), sn) for s, sn in ref.skills_by_category.get(cpk, [])]) for cpk, cname in ref.categories],
            [data["skill"]] if data.get("skill") else [],
            version=ref,
        ),
        "site_options": options_html(
            "site",
            [("", [(str(pk), n) for pk, n, _k in ref.sites])],
            [data["site"]] if data.get("site") else [],
            version=ref,
        ),
        "near_options": options_html(
            "near",
            [("", [(str(pk), n) for pk, n in ref.districts])],
            [data["near"]] if data.get("near") else [],
            version=ref,
        ),
        "days_choices": DAYS_CHOICES,
        "days": data.get("days") or "",
        "km_choices": KM_CHOICES,
        "km": data.get("km") or "",
        "sort_choices": SORT_CHOICES,
        "unit_choices": WAGE_UNIT_CHOICES,
        "wage_unit": data.get("wage_unit") or "day",
        "suitable_choices": [(v, label, v in (data.get("suitable") or [])) for v, label in SUITABLE_CHOICES],
        "filters_open": bool(params and any(k not in ("q", "sort") for k, _v in params)),
        "errors": f.errors,
    }
    return render(request, "core/jobposting_list.html", context)


def _facet_url(params: list[tuple[str, str]], key: str, value: int) -> str:
    kept = [(k, v) for k, v in params if k not in (key, "town")]
    return "?" + urlencode([*kept, (key, str(value))])


def posting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What, where, when, how much, who to call, the service point that helps; one apply button."""
    posting = posting_detail(pk=pk)
    if posting is None:
        raise Http404(_("没有找到这个岗位"))
    home = session_home(request)
    distance = None
    if home is not None:
        distance = km_between(home[0], home[1], posting.lat, posting.lng)
    applied = None
    if request.user.is_authenticated:
        # The reverse relation, not an import: core does not depend on the matching app.
        applied = (
            posting.matches.filter(seeker__user=request.user)
            .exclude(status__in=["recommended", "viewed"])
            .values_list("status", flat=True)
            .first()
        )
    skills = sorted(posting.posting_skills.all(), key=lambda ps: (not ps.required, ps.skill.code))
    site = posting.service_point
    site_url = None
    if site.kind == "gig_market":
        site_url = f"/markets/{site.pk}/"
    elif site.kind == "youth_station":
        site_url = f"/stations/{site.pk}/"
    context = {
        "posting": posting,
        "wage": wage_text(posting.wage_min, posting.wage_max, posting.wage_unit),
        "place": place_text(reference_data().area_label(posting.area_id), posting.address),
        "distance": distance,
        "is_open": posting.is_open,
        "closed_reason": _closed_reason(posting),
        "skills": skills,
        "shifts": [str(label) for value, label in _shift_choices() if value in (posting.shifts or [])],
        "site": site,
        "site_url": site_url,
        "applied_status": applied,
        "posted": posted_text(posting.published_at),
    }
    return render(request, "core/jobposting_detail.html", context)


def _shift_choices() -> list[tuple[str, str]]:
    return list(Shift.choices)


def _closed_reason(posting: JobPosting) -> str:
    if posting.is_open:
        return ""
    if posting.status == PostingStatus.FILLED:
        return _("这个岗位已经招满了")
    if posting.status == PostingStatus.PUBLISHED or posting.status == PostingStatus.EXPIRED:
        return _("这个岗位已过截止日期")
    return _("这个岗位已停止招聘")


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page through the full middleware stack: the benchmark's yardstick."""
    return render(request, "core/healthz.html", {"status": "ok"})
