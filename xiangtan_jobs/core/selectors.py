"""Read-side queries of the shared nouns."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, Value
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.db.models.functions import Power
from django.utils import timezone

from xiangtan_jobs.common.text import normalize_text, text_pieces
from xiangtan_jobs.core.enums import PostingStatus, ServicePointKind, WorkType
from xiangtan_jobs.core.models import (
    Area,
    JobPosting,
    SeekerRegistration,
    ServicePoint,
    Skill,
    SkillCategory,
)
from xiangtan_jobs.core.models.postings import CARD_COLUMNS


def home_summary() -> dict[str, object]:
    """Counts for the home page: open postings (today's gigs among them) and service points."""
    postings = JobPosting.objects.public().aggregate(
        open=Count("id"), gigs=Count("id", filter=Q(work_type=WorkType.DAY))
    )
    sites = ServicePoint.objects.active().aggregate(
        markets=Count("id", filter=Q(kind=ServicePointKind.GIG_MARKET)),
        stations=Count("id", filter=Q(kind=ServicePointKind.YOUTH_STATION)),
    )
    return {"open_postings": postings["open"], "open_gigs": postings["gigs"], **sites}


# ======================================================================================
# Public job search and the seekers' portal (issue 3). Appended block: the functions above
# belong to the foundation; everything below serves the public pages.
# ======================================================================================


# Reference lists (areas, skills, service points) change a few times a year; the public pages
# read them from memory so that no list request spends a query on them.
_WORD_SPLIT = re.compile(r"[^\w]+", re.UNICODE)
REF_CACHE_KEY = "portal:ref:v1"
REF_CACHE_SECONDS = 300
_REF_MEMO_SECONDS = 60
_ref_memo: tuple[float, RefData] | None = None

KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class RefData:
    """The small, slowly changing vocabularies the search form and result cards need."""

    districts: list[tuple[int, str]]
    towns: dict[int, list[tuple[int, str]]]
    area_name: dict[int, str]
    area_parent: dict[int, int | None]
    area_point: dict[int, tuple[float, float]]
    categories: list[tuple[int, str]]
    skills_by_category: dict[int, list[tuple[int, str]]]
    skill_name: dict[int, str]
    skill_category: dict[int, int]
    # Every skill's group (itself, the skill it is a near-synonym of, and that skill's other
    # near-synonyms): a search for 护工 also finds 养老护理员 postings.
    skill_group: dict[int, frozenset[int]]
    # normalised name or alias -> skill ids bearing it
    skill_terms: dict[str, frozenset[int]]
    sites: list[tuple[int, str, str]]
    site_name: dict[int, str]
    site_kind: dict[int, str]

    def area_label(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        parent = self.area_parent.get(area_id)
        name = self.area_name.get(area_id, "")
        return f"{self.area_name.get(parent, '')}{name}" if parent else name


def _ref_build() -> RefData:
    areas = list(Area.objects.order_by("code").values_list("id", "name", "parent_id", "lat", "lng"))
    districts = [(pk, name) for pk, name, parent, _lat, _lng in areas if parent is None]
    towns: dict[int, list[tuple[int, str]]] = {}
    for pk, name, parent, _lat, _lng in areas:
        if parent is not None:
            towns.setdefault(parent, []).append((pk, name))
    skills = list(Skill.objects.order_by("code").values_list("id", "name", "category_id", "aliases", "alias_of_id"))
    by_cat: dict[int, list[tuple[int, str]]] = {}
    canon: dict[int, int] = {}
    terms: dict[str, set[int]] = {}
    for pk, name, cat, aliases, alias_of in skills:
        by_cat.setdefault(cat, []).append((pk, name))
        canon[pk] = alias_of or pk
        for term in [name, *(aliases or [])]:
            terms.setdefault(normalize_text(str(term)), set()).add(pk)
    members: dict[int, set[int]] = {}
    for pk, root in canon.items():
        members.setdefault(root, set()).add(pk)
    sites = list(ServicePoint.objects.active().order_by("kind", "name").values_list("id", "name", "kind"))
    return RefData(
        districts=districts,
        towns=towns,
        area_name={pk: name for pk, name, *_ in areas},
        area_parent={pk: parent for pk, _n, parent, *_ in areas},
        area_point={pk: (lat, lng) for pk, _n, _p, lat, lng in areas},
        categories=list(SkillCategory.objects.order_by("code").values_list("id", "name")),
        skills_by_category=by_cat,
        skill_name={pk: name for pk, name, *_ in skills},
        skill_category={pk: cat for pk, _n, cat, *_ in skills},
        skill_group={pk: frozenset(members[canon[pk]]) for pk in canon},
        skill_terms={t: frozenset(ids) for t, ids in terms.items() if t},
        sites=sites,
        site_name={pk: name for pk, name, _k in sites},
        site_kind={pk: kind for pk, _n, kind in sites},
    )


def reference_data() -> RefData:
    """Areas, skills and service points for the public pages, cached (memory, then the cache)."""
    global _ref_memo
    now = time.monotonic()
    if _ref_memo is not None and now - _ref_memo[0] < _REF_MEMO_SECONDS:
        return _ref_memo[1]
    ref = cache.get(REF_CACHE_KEY)
    if not isinstance(ref, RefData):
        ref = _ref_build()
        cache.set(REF_CACHE_KEY, ref, REF_CACHE_SECONDS)
    _ref_memo = (now, ref)
    return ref


def reference_data_forget() -> None:
    """Drop the cached reference lists (tests, and after loading reference data)."""
    global _ref_memo
    _ref_memo = None
    cache.delete(REF_CACHE_KEY)


# --- keyword search -------------------------------------------------------------------------

MAX_QUERY_WORDS = 4
MAX_WORD_CHARS = 20
MAX_EXPANSIONS = 8


def keyword_words(q: str) -> list[str]:
    """The words of a query, normalised (full-width, case, zero-width), at most four of them."""
    words = [w for w in _WORD_SPLIT.split(normalize_text(q or "")) if w]
    return [w[:MAX_WORD_CHARS] for w in words[:MAX_QUERY_WORDS]]


def keyword_alternatives(word: str, ref: RefData | None = None) -> list[str]:
    """The word itself plus the names of the skills in its group when it names a skill exactly.

    护工 is a near-synonym of 养老护理员: postings asking for 养老护理员 do not contain 护工, but a
    seeker typing 护工 wants them.
    """
    ref = ref or reference_data()
    alternatives = [word]
    for skill_id in sorted(ref.skill_terms.get(word, ())):
        for member in sorted(ref.skill_group.get(skill_id, ())):
            name = normalize_text(ref.skill_name.get(member, ""))
            if name and name not in alternatives and word not in name:
                alternatives.append(name)
    return alternatives[: MAX_EXPANSIONS + 1]


class _PiecesMatch(Func):
    """``xt_pieces(search_text) @@ '<piece>' & ...`` (PostgreSQL; see migration 0002)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(F("search_text"), Value(tsquery))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        return f"xt_pieces({field_sql}) @@ %s::tsquery", [*field_params, self.source_expressions[1].value]


def _tsquery(alternatives: list[str]) -> str:
    """``('保洁' & '洁员') | ('护工')``: each alternative the AND of its pieces (two characters
    each, or the single character of a one-character word)."""
    parts = []
    for alt in alternatives:
        pieces = [p for p in text_pieces(alt) if len(p) == 2] or [p for p in text_pieces(alt) if len(p) == 1]
        if pieces:
            # Pieces are word characters only (split on non-word), so they hold no quote.
            parts.append("(" + " & ".join(f"'{p}'" for p in pieces) + ")")
    return " | ".join(parts)


def keyword_filter(qs: QuerySet[JobPosting], q: str, *, use_index: bool = True) -> QuerySet[JobPosting]:
    """Postings whose search text contains every word of ``q`` (or a word's skill group).

    ``use_index=False`` leaves out the pieces-index condition (the result is the same: the
    substring check is exact): for a word with thousands of matches, walking the list's order
    index and checking the text row by row finds a page sooner than fetching every match."""
    ref = reference_data()
    for word in keyword_words(q):
        alternatives = keyword_alternatives(word, ref)
        exact = Q()
        for alt in alternatives:
            exact |= Q(search_text__contains=alt)
        if use_index and connection.vendor == "postgresql":
            tsq = _tsquery(alternatives)
            if tsq:
                # The index narrows to candidates; the substring check makes the result exact.
                qs = qs.filter(_PiecesMatch(tsq))
        qs = qs.filter(exact)
    return qs


# --- geography ------------------------------------------------------------------------------


def km_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Equirectangular distance in km: exact enough at city scale, cheap enough for SQL."""
    dy = (lat2 - lat1) * KM_PER_DEGREE
    dx = (lng2 - lng1) * KM_PER_DEGREE * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def distance_sq_expr(lat: float, lng: float) -> Any:
    """Squared km from (lat, lng) as a database expression (orders like the distance)."""
    kx = KM_PER_DEGREE * math.cos(math.radians(lat))
    return Power((F("lat") - Value(lat)) * Value(KM_PER_DEGREE), 2) + Power((F("lng") - Value(lng)) * Value(kx), 2)


def within_km(qs: QuerySet[JobPosting], lat: float, lng: float, km: float) -> QuerySet[JobPosting]:
    """Postings within ``km`` of a point: a bounding box the (lat, lng) index serves, then the circle."""
    dlat = km / KM_PER_DEGREE
    dlng = km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    qs = qs.filter(lat__gte=lat - dlat, lat__lte=lat + dlat, lng__gte=lng - dlng, lng__lte=lng + dlng)
    return qs.alias(dist_sq=distance_sq_expr(lat, lng)).filter(dist_sq__lte=km * km)


# --- keyset pagination --------------------------------------------------------------------------

SORTS = ("new", "wage", "near")
# The card's columns (the same the newest-first index carries), the employer by name.
LIST_FIELDS = (
    "id",
    "published_at",
    *(
        "employer__name" if c == "employer" else f"{c}_id" if c in ("area", "district", "service_point") else c
        for c in CARD_COLUMNS
    ),
)


@dataclass
class PostingPage:
    """One page of results, with the cursors to the next page (None at the end)."""

    rows: list[dict[str, Any]]
    next_cursor: str | None
    size: int
    cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def cursor_encode(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> list[Any] | None:
    """The values of a cursor, or None when it is missing or malformed (then: the first page)."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) and len(values) == 2 else None


def _as_float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _as_id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**62 else None


def posting_page(
    qs: QuerySet[JobPosting],
    *,
    sort: str,
    cursor: str | None,
    size: int,
    origin: tuple[float, float] | None = None,
) -> PostingPage:
    """One page of postings by keyset (the cursor holds the last row's sort key): no OFFSET, so
    page 2,000 costs what page 1 does. One query."""
    from django.utils.dateparse import parse_datetime

    values = cursor_decode(cursor)
    if sort == "near" and origin is not None:
        qs = qs.alias(dist_sq=distance_sq_expr(*origin)).annotate(d2=F("dist_sq"))
        order = [F("d2").asc(), F("id").asc()]
        if values and (key := _as_float(values[0])) is not None and (last := _as_id(values[1])):
            qs = qs.filter(Q(d2__gt=key) | Q(d2=key, id__gt=last))
        key_of = lambda row: [row["d2"], row["id"]]  # noqa: E731
    elif sort == "wage":
        qs = qs.annotate(wd=F("wage_daily"))
        order = [F("wage_daily").desc(nulls_last=True), F("id").desc()]
        if values and (last := _as_id(values[1])):
            key = _as_float(values[0])
            if values[0] is None:
                qs = qs.filter(wage_daily__isnull=True, id__lt=last)
            elif key is not None:
                qs = qs.filter(Q(wage_daily__lt=key) | Q(wage_daily=key, id__lt=last) | Q(wage_daily__isnull=True))
        key_of = lambda row: [row["wage_daily"], row["id"]]  # noqa: E731
    else:
        order = [F("published_at").desc(), F("id").desc()]
        if values and (last := _as_id(values[1])) and isinstance(values[0], str):
            when = parse_datetime(values[0]) if len(values[0]) < 40 else None
            if when is not None:
                # A row comparison, (published_at, id) < (when, last): one condition the newest-first
                # index seeks on, and one lookup for the ORM to build (the Q-tree form cost the deep
                # pages ~0.5 ms of Python per request more than page 1).
                qs = qs.filter(TupleLessThan(Tuple(F("published_at"), F("id")), (when, last)))
        key_of = lambda row: [row["published_at"].isoformat(), row["id"]]  # noqa: E731
    fields = [*LIST_FIELDS, "d2"] if sort == "near" and origin is not None else list(LIST_FIELDS)
    rows = list(qs.order_by(*order).values(*fields)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = cursor_encode(key_of(rows[-1])) if more and rows else None
    return PostingPage(rows=rows, next_cursor=next_cursor, size=size, cursor=cursor if values else None)


COUNT_CACHE_SECONDS = 60
COUNT_GENERATION_KEY = "portal:count:gen"


def count_generation() -> int:
    """The generation of the cached result counts: bumped whenever a posting (or its skills)
    is saved or deleted, so that a count never outlives a change made through the ORM."""
    return cache.get(COUNT_GENERATION_KEY) or 0


def count_generation_bump(**_kwargs: Any) -> None:
    """Signal receiver (connected in ``CoreConfig.ready``): forget every cached count."""
    try:
        cache.incr(COUNT_GENERATION_KEY)
    except ValueError:
        cache.set(COUNT_GENERATION_KEY, 1, None)


def posting_counts(qs: QuerySet[JobPosting], *, cache_key: str | None = None) -> dict[str, Any]:
    """Total and per-district / per-work-type counts of a result, in one grouped query.

    With ``cache_key`` (the view passes one per normalised filter set) the counts are kept for
    ``settings.PORTAL_COUNT_CACHE_SECONDS`` (60): counting every match is the heaviest part of a list page, and a
    count a minute old is true enough. The key is combined with the count generation and today's
    date, so a saved posting or a new day (expiry) starts a fresh count. Never the rows.
    """
    key = None
    seconds = getattr(settings, "PORTAL_COUNT_CACHE_SECONDS", COUNT_CACHE_SECONDS)
    if cache_key and seconds > 0:
        key = f"{cache_key}:{count_generation()}:{timezone.localdate().isoformat()}"
        hit = cache.get(key)
        if hit is not None:
            return hit
    by_district: dict[int, int] = {}
    by_work_type: dict[str, int] = {}
    total = 0
    for district_id, work_type, n in qs.order_by().values_list("district_id", "work_type").annotate(n=Count("id")):
        total += n
        by_district[district_id] = by_district.get(district_id, 0) + n
        by_work_type[work_type] = by_work_type.get(work_type, 0) + n
    result = {"total": total, "by_district": by_district, "by_work_type": by_work_type}
    if key:
        cache.set(key, result, seconds)
    return result


# --- detail pages -----------------------------------------------------------------------------


def posting_detail(*, pk: int) -> JobPosting | None:
    """A posting for its public page (any status: closed ones say so), with what the page shows."""
    if not 0 < pk < 2**62:
        return None
    return (
        JobPosting.objects.select_related("employer", "area", "district", "service_point")
        .prefetch_related("posting_skills__skill")
        .filter(pk=pk)
        .exclude(status__in=[PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW, PostingStatus.REJECTED])
        .first()
    )


def site_postings(*, site_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The newest open postings collected at one service point."""
    qs = JobPosting.objects.public().filter(service_point_id=site_id).order_by("-published_at", "-id")
    return list(qs.values(*LIST_FIELDS)[:limit])


def seeker_current(*, user: Any) -> SeekerRegistration | None:
    """The user's current (not withdrawn) registration, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SeekerRegistration.objects.current().filter(user=user).select_related("area").first()


def seeker_export(*, registration: SeekerRegistration) -> dict[str, Any]:
    """Everything the portal keeps about one person, for the data download (PIPL art. 45)."""
    reg = registration
    data: dict[str, Any] = {
        "registration": {
            "name": reg.name,
            "phone": reg.phone,
            "id_number": reg.id_number or "",
            "birth_year": reg.birth_year,
            "area": str(reg.area),
            "home_lat": reg.home_lat,
            "home_lng": reg.home_lng,
            "travel_km": reg.travel_km,
            "work_types": reg.work_types,
            "shifts": reg.shifts,
            "expected_wage": reg.expected_wage,
            "expected_unit": reg.expected_unit,
            "tags": reg.tags,
            "status": reg.status,
            "consent_version": reg.consent_version,
            "consent_at": reg.consent_at.isoformat(),
            "consent_method": reg.consent_method,
            "service_point": str(reg.service_point) if reg.service_point_id else "",
            "created_at": reg.created_at.isoformat(),
            "updated_at": reg.updated_at.isoformat(),
        },
        "skills": [
            {"skill": s.skill.name, "level": s.level, "years": s.years, "has_certificate": s.has_certificate}
            for s in reg.seeker_skills.select_related("skill")
        ],
        "service_records": [
            {"kind": r.kind, "served_at": r.served_at.isoformat(), "service_point": str(r.service_point)}
            for r in reg.service_records.select_related("service_point")
        ],
        "staff_access_log": [{"action": a.action, "at": a.at.isoformat()} for a in reg.access_logs.all()],
    }
    if reg.user_id:
        data["account"] = {"username": reg.user.username, "date_joined": reg.user.date_joined.isoformat()}
        data["inbox"] = [
            {"title": m.title, "body": m.body, "link": m.link, "created_at": m.created_at.isoformat()}
            for m in reg.user.inbox.all()
        ]
    return data
