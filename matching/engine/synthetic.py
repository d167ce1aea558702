"""Realistic synthetic markets of Xiangtan for tests and benchmarks (randomness is passed in)."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from .types import PostingIn, SeekerIn, SkillInfo

T = TypeVar("T")

# Xiangtan's bounding box and the places people live and work (approximate public figures).
LAT_MIN, LAT_MAX = 27.35, 28.10
LNG_MIN, LNG_MAX = 112.25, 113.15
CENTRE = (27.86, 112.92)
# (lat, lng, spread km, share of seekers, share of postings)
PLACES = (
    (27.86, 112.92, 3.5, 0.55, 0.48),  # 雨湖区/岳塘区 city centre
    (27.93, 112.88, 2.0, 0.06, 0.12),  # 九华 economic development zone
    (27.78, 112.95, 2.0, 0.08, 0.09),  # 易俗河, seat of 湘潭县
    (27.73, 112.53, 2.5, 0.10, 0.08),  # 湘乡
    (27.92, 112.53, 1.5, 0.03, 0.04),  # 韶山
    (27.97, 113.03, 1.5, 0.02, 0.04),  # 昭山
)
TRAVEL_KM = (3.0, 5.0, 8.0, 10.0, 15.0, 20.0, 30.0)
TRAVEL_P = (0.10, 0.20, 0.20, 0.20, 0.15, 0.10, 0.05)
KM_PER_DEG = 111.195
TAG_SHARES = (
    ("graduate", 0.1),
    ("rural", 0.15),
    ("returnee", 0.05),
    ("migrant", 0.1),
    ("mother", 0.08),
    ("older", 0.12),
    ("disabled", 0.02),
)
FLAG_SHARES = (("older_ok", 0.2), ("disability_ok", 0.05), ("mother_flexible", 0.1))
SHIFT_PATTERNS = (
    frozenset({"weekday_morning", "weekday_afternoon"}),
    frozenset({"weekday_evening"}),
    frozenset({"night"}),
    frozenset({"weekend"}),
    frozenset({"weekday_morning", "weekday_afternoon", "weekend"}),
    frozenset({"weekday_morning"}),
)


@dataclass(frozen=True, slots=True)
class Market:
    """A synthetic vocabulary, postings and seekers."""

    skills: tuple[SkillInfo, ...]
    postings: tuple[PostingIn, ...]
    seekers: tuple[SeekerIn, ...]
    certified_skills: frozenset[int]  # skills whose work needs a certificate


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (k**s) for k in range(1, n + 1)]


def make_skills(
    rng: np.random.Generator, n_categories: int = 18, per_category: tuple[int, int] = (6, 18)
) -> tuple[tuple[SkillInfo, ...], frozenset[int]]:
    """A vocabulary shaped like the reference one: categories of skills, a fifth of them near-synonyms."""
    skills: list[SkillInfo] = []
    certified: set[int] = set()
    next_id = 1
    for category in range(1, n_categories + 1):
        canonical: list[int] = []
        for _ in range(int(rng.integers(per_category[0], per_category[1] + 1))):
            if canonical and rng.random() < 0.2:
                group = int(rng.choice(canonical))
            else:
                group = next_id
                canonical.append(next_id)
                if rng.random() < 0.15:
                    certified.add(next_id)
            skills.append(SkillInfo(id=next_id, group=group, category=100 + category))
            next_id += 1
    return tuple(skills), frozenset(certified)


class _Draw:
    """Scalar draws served from batches of the caller's generator (per-call numpy draws are slow)."""

    def __init__(self, rng: np.random.Generator, batch: int = 65536) -> None:
        self.rng = rng
        self.batch = batch
        self._u: list[float] = []
        self._n: list[float] = []

    def u(self) -> float:
        if not self._u:
            self._u = self.rng.random(self.batch).tolist()
        return self._u.pop()

    def normal(self) -> float:
        if not self._n:
            self._n = self.rng.standard_normal(self.batch).tolist()
        return self._n.pop()

    def index(self, cumulative: list[float]) -> int:
        return min(bisect.bisect_right(cumulative, self.u() * cumulative[-1]), len(cumulative) - 1)

    def int(self, low: int, high: int) -> int:
        """Uniform integer in [low, high)."""
        return min(high - 1, low + int(self.u() * (high - low)))

    def pick(self, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        if weights is None:
            return options[self.int(0, len(options))]
        return options[self.index(list(itertools.accumulate(weights)))]


class _Picker:
    """Skill popularity: Zipf over categories and over skills within a category."""

    def __init__(self, skills: tuple[SkillInfo, ...]) -> None:
        self.categories = sorted({s.category for s in skills})
        self.by_category = {c: [s for s in skills if s.category == c] for c in self.categories}
        self.category_cum = list(itertools.accumulate(_zipf(len(self.categories), 0.9)))
        self.skill_cum = {c: list(itertools.accumulate(_zipf(len(v), 0.8))) for c, v in self.by_category.items()}

    def category(self, d: _Draw) -> int:
        return self.categories[d.index(self.category_cum)]

    def skill(self, d: _Draw, category: int) -> SkillInfo:
        return self.by_category[category][d.index(self.skill_cum[category])]


def _place(d: _Draw, column: int) -> tuple[float, float]:
    shares = [float(p[column]) for p in PLACES]
    if d.u() < 1.0 - sum(shares):
        # The rest live and work spread over the villages of the whole municipality.
        return LAT_MIN + d.u() * (LAT_MAX - LAT_MIN), LNG_MIN + d.u() * (LNG_MAX - LNG_MIN)
    lat0, lng0, spread, *_ = PLACES[d.index(list(itertools.accumulate(shares)))]
    lat = lat0 + d.normal() * spread / KM_PER_DEG
    lng = lng0 + d.normal() * spread / (KM_PER_DEG * math.cos(math.radians(lat0)))
    return min(LAT_MAX, max(LAT_MIN, lat)), min(LNG_MAX, max(LNG_MIN, lng))


def make_postings(
    rng: np.random.Generator,
    n: int,
    skills: tuple[SkillInfo, ...],
    certified: frozenset[int] = frozenset(),
    start_id: int = 1,
) -> list[PostingIn]:
    """Postings clustered in the centre and the industrial zones."""
    d = _Draw(rng)
    picker = _Picker(skills)
    out: list[PostingIn] = []
    for i in range(n):
        lat, lng = _place(d, 4)
        category = picker.category(d)
        required: dict[int, int] = {}
        for _ in range(d.pick((1, 1, 2, 2, 3))):
            s = picker.skill(d, category)
            # Postings name the canonical trade more often than its near-synonyms.
            sid = s.group if d.u() < 0.7 else s.id
            required[sid] = d.pick((1, 2, 3, 4), (0.4, 0.3, 0.2, 0.1))
        optional = {picker.skill(d, category).id for _ in range(d.pick((0, 0, 1, 2)))} - set(required)
        certificates = tuple(sorted(k for k in required if k in certified and d.u() < 0.7))
        work_type = d.pick(("day", "part", "full"), (0.4, 0.25, 0.35))
        if work_type == "day":
            unit, low = ("piece", 150.0) if d.u() < 0.1 else ("day", float(d.int(140, 260)))
        elif work_type == "part":
            unit, low = "hour", float(d.int(16, 30))
        else:
            unit, low = ("piece", 3000.0) if d.u() < 0.05 else ("month", float(d.int(28, 70) * 100))
        shifts = frozenset() if d.u() < 0.5 else d.pick(SHIFT_PATTERNS)
        flags = frozenset(f for f, p in FLAG_SHARES if d.u() < p)
        headcount = 1
        while headcount < 50 and d.u() > 0.4:
            headcount += 1
        out.append(
            PostingIn(
                id=start_id + i,
                lat=lat,
                lng=lng,
                work_type=work_type,
                wage_min=low,
                wage_max=float(round(low * (1.0 + 0.4 * d.u()))),
                wage_unit=unit,
                headcount=headcount,
                required_skills=tuple(sorted(required.items())),
                optional_skills=tuple(sorted(optional)),
                certificates=certificates,
                shifts=shifts,
                flags=flags,
                age_days=float(d.int(0, 46)),
            )
        )
    return out


def make_seekers(
    rng: np.random.Generator,
    n: int,
    skills: tuple[SkillInfo, ...],
    certified: frozenset[int] = frozenset(),
    start_id: int = 1,
) -> list[SeekerIn]:
    """Seekers living mostly in the city centre, with one or two trades each."""
    d = _Draw(rng)
    picker = _Picker(skills)
    out: list[SeekerIn] = []
    for i in range(n):
        lat, lng = _place(d, 3)
        tags = {t for t, p in TAG_SHARES if d.u() < p}
        own: dict[int, tuple[int, bool]] = {}
        for c in [picker.category(d)] + ([picker.category(d)] if d.u() < 0.3 else []):
            for _ in range(d.pick((1, 1, 2, 3))):
                s = picker.skill(d, c)
                level = d.pick((1, 2, 3, 4, 5), (0.15, 0.3, 0.3, 0.15, 0.1))
                own[s.id] = (level, s.group in certified and d.u() < 0.5)
        available: frozenset[str] = frozenset()
        if "mother" in tags:
            # Mothers are mostly free while the children are at school.
            available = SHIFT_PATTERNS[0]
        elif d.u() > 0.45:
            available = d.pick(SHIFT_PATTERNS) | d.pick(SHIFT_PATTERNS)
        work_types: frozenset[str] = frozenset()
        if d.u() > 0.35:
            work_types = frozenset(t for t in ("day", "part", "full") if d.u() < 0.5) or frozenset({"full"})
        expected: float | None = None
        unit: str | None = None
        r = d.u()
        if r < 0.33:
            expected, unit = float(d.int(30, 70) * 100), "month"
        elif r < 0.55:
            expected, unit = float(d.int(140, 260)), "day"
        elif r < 0.65:
            expected, unit = float(d.int(18, 30)), "hour"
        out.append(
            SeekerIn(
                id=start_id + i,
                lat=lat,
                lng=lng,
                travel_km=d.pick(TRAVEL_KM, TRAVEL_P),
                skills=tuple((sid, lv, cert) for sid, (lv, cert) in sorted(own.items())),
                work_types=work_types,
                available=available,
                expected_wage=expected,
                expected_unit=unit,
                tags=frozenset(tags),
            )
        )
    return out


def make_market(rng: np.random.Generator, n_postings: int, n_seekers: int) -> Market:
    """A whole synthetic market from one generator."""
    skills, certified = make_skills(rng)
    postings = make_postings(rng, n_postings, skills, certified)
    seekers = make_seekers(rng, n_seekers, skills, certified)
    return Market(skills=skills, postings=tuple(postings), seekers=tuple(seekers), certified_skills=certified)


__all__ = ["Market", "make_market", "make_postings", "make_seekers", "make_skills"]
