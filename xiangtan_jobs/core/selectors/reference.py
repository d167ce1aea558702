"""The reference lists (areas, skills, service points), kept in memory and the cache for the public pages."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from xiangtan_jobs.common.text import cjk_runs, normalize_text, pinyin_keys
from xiangtan_jobs.core.models import Area, ServicePoint, Skill, SkillCategory

# Reference lists (areas, skills, service points) change a few times a year; the public pages
# read them from memory so that no list request spends a query on them.
REF_CACHE_KEY = "portal:ref:v2"
REF_CACHE_SECONDS = 300
_REF_MEMO_SECONDS = 60
_ref_memo: tuple[float, RefData] | None = None


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
    # pinyin ("baojie") and initials ("bj") -> the Chinese skill and title words they spell
    # (保洁), for seekers who type without a Chinese keyboard
    pinyin_terms: dict[str, tuple[str, ...]]
    sites: list[tuple[int, str, str]]
    site_name: dict[int, str]
    site_kind: dict[int, str]

    def area_label(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        parent = self.area_parent.get(area_id)
        name = self.area_name.get(area_id, "")
        return f"{self.area_name.get(parent, '')}{name}" if parent else name


def _pinyin_terms(skills: list[tuple[Any, ...]], category_names: list[str]) -> dict[str, tuple[str, ...]]:
    """Full pinyin and initials of every skill name, alias, category name and the Chinese words
    of the typical titles, plus each word's first two characters (保洁员 is also 保洁): the words
    seekers search for. A key spelling several words keeps them all (bj: 保洁, 搬家 ...)."""
    words: set[str] = set(category_names)
    for _pk, name, _cat, aliases, _alias_of, titles in skills:
        words.add(name)
        words.update(str(a) for a in aliases or [])
        for title in titles or []:
            words.update(cjk_runs(str(title)))
    chinese: set[str] = set()
    for word in words:
        for run in cjk_runs(normalize_text(word)):
            chinese.add(run)
            if len(run) > 2:
                chinese.add(run[:2])
    found: dict[str, set[str]] = {}
    for word in sorted(chinese):
        full, initials = pinyin_keys(word)
        for key in (full, initials):
            if len(key) >= 2:
                found.setdefault(key, set()).add(word)
    # Shorter words first: 保洁 before 保洁员 (the longer one contains it anyway).
    return {key: tuple(sorted(ws, key=lambda w: (len(w), w))) for key, ws in found.items()}


def _ref_build() -> RefData:
    areas = list(Area.objects.order_by("code").values_list("id", "name", "parent_id", "lat", "lng"))
    districts = [(pk, name) for pk, name, parent, _lat, _lng in areas if parent is None]
    towns: dict[int, list[tuple[int, str]]] = {}
    for pk, name, parent, _lat, _lng in areas:
        if parent is not None:
            towns.setdefault(parent, []).append((pk, name))
    skills = list(
        Skill.objects.order_by("code").values_list(
            "id", "name", "category_id", "aliases", "alias_of_id", "typical_titles"
        )
    )
    by_cat: dict[int, list[tuple[int, str]]] = {}
    canon: dict[int, int] = {}
    terms: dict[str, set[int]] = {}
    for pk, name, cat, aliases, alias_of, _titles in skills:
        by_cat.setdefault(cat, []).append((pk, name))
        canon[pk] = alias_of or pk
        for term in [name, *(aliases or [])]:
            terms.setdefault(normalize_text(str(term)), set()).add(pk)
    members: dict[int, set[int]] = {}
    for pk, root in canon.items():
        members.setdefault(root, set()).add(pk)
    categories = list(SkillCategory.objects.order_by("code").values_list("id", "name"))
    sites = list(ServicePoint.objects.active().order_by("kind", "name").values_list("id", "name", "kind"))
    return RefData(
        districts=districts,
        towns=towns,
        area_name={pk: name for pk, name, *_ in areas},
        area_parent={pk: parent for pk, _n, parent, *_ in areas},
        area_point={pk: (lat, lng) for pk, _n, _p, lat, lng in areas},
        categories=categories,
        skills_by_category=by_cat,
        skill_name={pk: name for pk, name, *_ in skills},
        skill_category={pk: cat for pk, _n, cat, *_ in skills},
        skill_group={pk: frozenset(members[canon[pk]]) for pk in canon},
        skill_terms={t: frozenset(ids) for t, ids in terms.items() if t},
        pinyin_terms=_pinyin_terms(skills, [name for _pk, name in categories]),
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
