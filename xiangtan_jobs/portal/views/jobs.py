"""The public job list (/jobs/) and job detail (/jobs/<id>/), plus the trivial page the benchmark
divides by."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_permissions_policy.decorators import permissions_policy_override

from matching.enums import APPLYABLE_STATUSES, MatchStatus
from matching.presenters import seeker_application_status
from xiangtan_jobs.common.parsing import parse_int
from xiangtan_jobs.common.widgets import cards_html, options_html
from xiangtan_jobs.core.enums import PostingStatus, ServicePointKind, Shift, WorkType
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.presenters import (
    UNIT_LABELS,
    WORK_TYPE_LABELS,
    CardWords,
    card,
    place_text,
    posted_text,
    wage_text,
)
from xiangtan_jobs.core.selectors import (
    RefData,
    km_between,
    posting_detail,
    reference_data,
)
from xiangtan_jobs.portal.alerts import saved_search_query
from xiangtan_jobs.portal.filters import (
    DAYS_CHOICES,
    KM_CHOICES,
    SORT_CHOICES,
    SUITABLE_CHOICES,
    WAGE_UNIT_CHOICES,
    PostingFilter,
)
from xiangtan_jobs.portal.selectors import posting_search

HOME_SESSION_KEY = "home_point"
# The public page of a service point, by kind.
SITE_PAGES: dict[str, str] = {
    ServicePointKind.GIG_MARKET: "markets:gigmarket-detail",
    ServicePointKind.YOUTH_STATION: "stations:youthstation-detail",
    ServicePointKind.HR_MARKET: "markets:hrmarket-detail",
    ServicePointKind.GIG_POST: "markets:gigpost-detail",
}
PAGE_SIZES = (20, 50, 100)
# Parameters that choose a page of a result, not the result itself.
PAGING_PARAMS = ("cursor", "size")


def session_home(request: HttpRequest) -> tuple[float, float] | None:
    """The logged-in seeker's home point, kept in the session at login and registration so
    the list spends no query on it."""
    point = request.session.get(HOME_SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(point, list) and len(point) == 2:
        return float(point[0]), float(point[1])
    return None


def _query_without(params: list[tuple[str, str]], drop_key: str, drop_value: str | None = None) -> str:
    kept = [(k, v) for k, v in params if not (k == drop_key and (drop_value is None or v == drop_value))]
    kept = [(k, v) for k, v in kept if k not in PAGING_PARAMS]
    return "?" + urlencode(kept) if kept else "?"


def chips(f: PostingFilter, ref: RefData) -> list[dict[str, str]]:
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
    result = []
    if data.get("q"):
        result.append({"label": _("关键词：%(q)s") % {"q": data["q"]}, "url": _query_without(params, "q")})
    for key, label_of in labels.items():
        if data.get(key):
            result.append({"label": label_of(data[key]), "url": _query_without(params, key)})
    for value in data.get("work_type") or []:
        result.append({"label": str(WORK_TYPE_LABELS[value]), "url": _query_without(params, "work_type", value)})
    for value in data.get("suitable") or []:
        result.append({"label": str(dict(SUITABLE_CHOICES)[value]), "url": _query_without(params, "suitable", value)})
    if data.get("wage") is not None:
        unit = data.get("wage_unit") or "day"
        result.append(
            {
                "label": _("工资至少 %(n)s %(unit)s") % {"n": int(data["wage"]), "unit": UNIT_LABELS[unit]},
                "url": _query_without(params, "wage"),
            }
        )
    if data.get("near") and f.origin is not None:
        result.append({"label": _("按距离筛选"), "url": _query_without(params, "near")})
    return result


# The job list's "near me" button asks for the phone's location (static/js/near-me.js): this page
# alone may ask, for itself only (never a frame); every other page keeps location refused.
@permissions_policy_override({**settings.PERMISSIONS_POLICY, "geolocation": ["self"]})
def posting_list(request: HttpRequest) -> HttpResponse:
    """Search and filter open postings; keyset pages; at most 4 queries whatever the page size."""
    ref = reference_data()
    f = PostingFilter(request.GET, queryset=JobPosting.objects.public(), home=session_home(request))
    size = parse_int(request.GET.get("size"))
    size = size if size in PAGE_SIZES else 20
    found = posting_search(f, cursor=request.GET.get("cursor"), size=size)
    sort, counts, page = found.sort, found.counts, found.page
    data = f.form.cleaned_data
    params = [(k, v) for k, values in request.GET.lists() for v in values if k not in PAGING_PARAMS and v != ""]
    next_url = None
    if page.next_cursor:
        next_url = "?" + urlencode([*params, ("cursor", page.next_cursor), *([("size", size)] if size != 20 else [])])
    near = (data.get("near") or "").strip()
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
        "chips": chips(f, ref),
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
        # Phones see results first: once filters are applied the panel is folded (the chips and
        # the count say what is chosen); it stays open only to show a filter that did not validate.
        "filters_open": bool(f.errors),
        # "Near me" from the phone's location (static/js/near-me.js): the point as a choice.
        "near_point": near if "," in near and f.origin is not None else "",
        "errors": f.errors,
        # The search as a saved search keeps it (portal/alerts.py); empty when nothing is chosen.
        "save_query": saved_search_query(request.GET, f) if params else "",
    }
    return render(request, "portal/jobposting_list.html", context)


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
    applied = seeker_application_status(posting_id=posting.pk, user=request.user)
    skills = sorted(posting.posting_skills.all(), key=lambda ps: (not ps.required, ps.skill.code))
    site = posting.service_point
    site_url = SITE_PAGES.get(site.kind)
    if site_url:
        site_url = reverse(site_url, args=[site.pk])
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
        "applied_label": MatchStatus(applied).label if applied else "",
        # Withdrawn, unanswered or invited: the seeker may apply (again) while the posting is open.
        "may_apply": applied is None or applied in APPLYABLE_STATUSES,
        "invited": applied == MatchStatus.INVITED,
        "posted": posted_text(posting.published_at),
    }
    return render(request, "portal/jobposting_detail.html", context)


def _shift_choices() -> list[tuple[str, object]]:
    return list(Shift.choices)


def _closed_reason(posting: JobPosting) -> str:
    if posting.is_open:
        return ""
    if posting.status == PostingStatus.FILLED:
        return _("这个岗位已经招满了")
    if posting.status == PostingStatus.PUBLISHED or posting.status == PostingStatus.EXPIRED:
        return _("这个岗位已过截止日期")
    return _("这个岗位已停止招聘")
