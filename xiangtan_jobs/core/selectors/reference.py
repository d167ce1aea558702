"""The reference lists (areas, skills, service points), kept in memory and the cache for the public pages."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from xiangtan_jobs.common.text import normalize_text
from xiangtan_jobs.core.models import Area, ServicePoint, Skill, SkillCategory

# Reference lists (areas, skills, service points) change a few times a year; the public pages
# read them from memory so that no list request spends a query on them.
REF_CACHE_KEY = "portal:ref:v1"
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
