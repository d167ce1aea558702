"""Plain inputs and outputs of the matching engine: frozen dataclasses, no behaviour beyond checks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WORK_TYPES = ("day", "part", "full")
WAGE_UNITS = ("hour", "day", "month", "piece")
SHIFTS = ("weekday_morning", "weekday_afternoon", "weekday_evening", "night", "weekend")
FLAGS = ("older_ok", "disability_ok", "mother_flexible")
TAGS = ("graduate", "rural", "returnee", "migrant", "mother", "older", "disabled")
# A posting's suitability flag and the seeker tag it welcomes.
FLAG_FOR_TAG = {"older": "older_ok", "disabled": "disability_ok", "mother": "mother_flexible"}


@dataclass(frozen=True, slots=True)
class SkillInfo:
    """One skill of the shared vocabulary: near-synonyms share the canonical skill's id as group."""

    id: int
    group: int
    category: int


@dataclass(frozen=True, slots=True)
class PostingIn:
    """A published posting as the engine sees it."""

    id: int
    lat: float
    lng: float
    work_type: str  # "day" | "part" | "full"
    wage_min: float
    wage_max: float
    wage_unit: str  # "hour" | "day" | "month" | "piece"
    headcount: int
    required_skills: tuple[tuple[int, int], ...]  # (skill id, min level 1..5)
    optional_skills: tuple[int, ...] = ()
    certificates: tuple[int, ...] = ()  # skill ids whose certificate the posting requires
    shifts: frozenset[str] = frozenset()  # slots the job needs; empty = flexible hours
    flags: frozenset[str] = frozenset()  # subset of FLAGS
    age_days: float = 0.0  # days since published, computed by the caller (the engine has no clock)


@dataclass(frozen=True, slots=True)
class SeekerIn:
    """An active seeker registration as the engine sees it."""

    id: int
    lat: float
    lng: float
    travel_km: float
    skills: tuple[tuple[int, int, bool], ...]  # (skill id, level 1..5, has certificate)
    work_types: frozenset[str] = frozenset()  # empty = any
    available: frozenset[str] = frozenset()  # shift slots they can work; empty = any
    expected_wage: float | None = None
    expected_unit: str | None = None
    tags: frozenset[str] = frozenset()  # subset of TAGS


@dataclass(frozen=True, slots=True)
class Weights:
    """How many of the 100 points each factor can give, and the shape of each factor's curve."""

    skills: float = 50.0  # the skills a posting names are the core of a match
    distance: float = 20.0  # commuting cost matters most to gig and part-time workers
    wage: float = 15.0
    fit: float = 5.0  # work type and hours explicitly wanted (both are hard filters already)
    suitability: float = 5.0  # posting welcomes the seeker's group (older, disabled, mother)
    freshness: float = 5.0  # newer postings are more likely still open
    required_weight: float = 1.0  # weight of each required skill in the skills factor
    optional_weight: float = 0.4  # weight of each optional skill: nice to have, never decisive
    full_credit_km: float = 3.0  # within this distance the commute counts as free
    wage_floor_ratio: float = 0.7  # posting paying this fraction of the expectation (or less) gets no wage credit
    freshness_half_life_days: float = 14.0  # a posting this old gets half the freshness points

    def __post_init__(self) -> None:
        """Reject weights that would break the 0..100 scale."""
        points = (self.skills, self.distance, self.wage, self.fit, self.suitability, self.freshness)
        if any(p < 0 or not math.isfinite(p) for p in points) or abs(sum(points) - 100.0) > 1e-9:
            raise ValueError("factor weights must be non-negative and add up to 100")
        if self.required_weight <= 0 or self.optional_weight < 0:
            raise ValueError("required_weight must be positive and optional_weight non-negative")
        if self.full_credit_km < 0 or not 0 <= self.wage_floor_ratio < 1 or self.freshness_half_life_days <= 0:
            raise ValueError("full_credit_km >= 0, 0 <= wage_floor_ratio < 1, freshness_half_life_days > 0")


@dataclass(frozen=True, slots=True)
class Params:
    """Ranking parameters."""

    top_k: int = 20  # recommendations shown per seeker
    cap_factor: float = 5.0  # a posting is recommended to at most ceil(cap_factor × headcount) seekers
    pool_size: int = 100  # candidates per seeker for deferred acceptance (the comparison method only)
    min_score: float = 30.0  # below this a pair is never recommended

    def __post_init__(self) -> None:
        """Reject parameters that make no sense."""
        if self.top_k < 1 or self.pool_size < self.top_k or self.cap_factor <= 0 or not 0 <= self.min_score <= 100:
            raise ValueError("need top_k >= 1, pool_size >= top_k, cap_factor > 0, 0 <= min_score <= 100")

    def cap(self, headcount: int) -> int:
        """How many seekers one posting may be recommended to."""
        return max(1, math.ceil(self.cap_factor * max(1, headcount) - 1e-9))


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """One eligible posting–seeker pair and its score (0..100)."""

    posting_id: int
    seeker_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor of a score: its points and what the pages need to explain it."""

    name: str
    points: float
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair scores what it scores: the factors add up to the score.

    A pair that a hard filter excludes has score 0, no factors, and the filters it fails in
    `excluded` ("distance", "certificate", "work_type", "shifts", "skills").
    """

    posting_id: int
    seeker_id: int
    score: float
    factors: tuple[Factor, ...]
    excluded: tuple[str, ...] = ()


DEFAULT_PARAMS = Params()
DEFAULT_WEIGHTS = Weights()
