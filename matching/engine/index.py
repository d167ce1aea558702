"""Columnar, read-only indexes of postings and seekers, built once and passed to the ranking functions."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .skills import SkillTable
from .types import FLAG_FOR_TAG, FLAGS, SHIFTS, WORK_TYPES, PostingIn, SeekerIn, SkillInfo

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.uint8]
Bools = npt.NDArray[np.bool_]

EARTH_RADIUS_KM = 6371.0088
# Hours per day and working days per month (the statutory 21.75) to compare wages across units.
HOURS_PER_DAY = 8.0
DAYS_PER_MONTH = 21.75
MONTH_FACTOR = {"hour": HOURS_PER_DAY * DAYS_PER_MONTH, "day": DAYS_PER_MONTH, "month": 1.0}
WORK_TYPE_BIT = {w: 1 << i for i, w in enumerate(WORK_TYPES)}
SHIFT_BIT = {s: 1 << i for i, s in enumerate(SHIFTS)}
FLAG_BIT = {f: 1 << i for i, f in enumerate(FLAGS)}
ALL_WORK_TYPES = (1 << len(WORK_TYPES)) - 1
ALL_SHIFTS = (1 << len(SHIFTS)) - 1
# Entities are ranked by index position, packed into 21 bits of an int64 sort key.
MAX_ENTITIES = 2**21


def unit_vector(lat: float, lng: float) -> tuple[float, float, float]:
    """Point on the unit sphere; computed with `math` per entity so every code path gets the same bits."""
    phi, lam = math.radians(lat), math.radians(lng)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def max_chord_sq(travel_km: float) -> float:
    """Squared chord length of a great-circle distance: comparing chords avoids a per-pair arcsine."""
    half_angle = min(max(travel_km, 0.0) / (2 * EARTH_RADIUS_KM), math.pi / 2)
    return (2 * math.sin(half_angle)) ** 2


def to_month(amount: float | None, unit: str | None) -> float:
    """Monthly equivalent of a wage, NaN when unknown (piece rates and missing values)."""
    if amount is None or unit not in MONTH_FACTOR or not math.isfinite(amount) or amount <= 0:
        return math.nan
    return amount * MONTH_FACTOR[unit]


def _mask(values: Iterable[str], bits: dict[str, int]) -> int:
    return sum(bits.get(v, 0) for v in set(values))


def _csr(rows: Sequence[dict[int, float]], n_features: int) -> sp.csr_matrix:
    counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    nnz = int(indptr[-1])
    indices = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=nnz)
    data = np.fromiter((v for r in rows for v in r.values()), dtype=np.float64, count=nnz)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_features))
    matrix.sort_indices()
    return matrix


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _position(ids: Ints, entity_id: int) -> int | None:
    """Where an id sits in a sorted id column, None if absent."""
    i = int(np.searchsorted(ids, entity_id))
    return i if i < len(ids) and int(ids[i]) == entity_id else None


def _check_ids(ids: Ints, what: str) -> None:
    if len(ids) >= MAX_ENTITIES:
        raise ValueError(f"at most {MAX_ENTITIES - 1} {what} per index")
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        raise ValueError(f"{what} ids must be unique")


@dataclass(frozen=True, slots=True, eq=False)
class PostingIndex:
    """Postings sorted by id, as columns and a sparse skill-feature matrix."""

    skills: SkillTable
    postings: tuple[PostingIn, ...]
    ids: Ints
    lat: Floats
    lng: Floats
    ux: Floats
    uy: Floats
    uz: Floats
    work_type_bit: Bytes
    shift_mask: Bytes
    flag_mask: Bytes
    wage_month: Floats  # NaN: unknown (piece rates)
    age_days: Floats
    n_required: Floats
    n_optional: Floats
    n_certs: Ints
    caps_headcount: Ints  # headcount, at least 1
    features: sp.csr_matrix  # postings × features
    features_csc: sp.csc_matrix
    lat_order: Ints  # positions sorted by latitude, for the full run's windows
    lat_sorted: Floats

    @classmethod
    def build(cls, postings: Iterable[PostingIn], skills: SkillTable | Iterable[SkillInfo]) -> PostingIndex:
        """Index postings (unique ids) over a skill vocabulary."""
        table = skills if isinstance(skills, SkillTable) else SkillTable.build(skills)
        ordered = tuple(sorted(postings, key=lambda p: p.id))
        ids = np.array([p.id for p in ordered], dtype=np.int64)
        _check_ids(ids, "postings")
        rows: list[dict[int, float]] = []
        counts: list[tuple[int, int, int]] = []
        for p in ordered:
            row, n_req, n_opt, n_cert = table.posting_features(p.required_skills, p.optional_skills, p.certificates)
            rows.append(row)
            counts.append((n_req, n_opt, n_cert))
        units = [unit_vector(p.lat, p.lng) for p in ordered]
        lat = np.array([p.lat for p in ordered], dtype=np.float64)
        features = _csr(rows, table.n_features)
        lat_order = np.argsort(lat, kind="stable").astype(np.int64)
        for p in ordered:
            if p.work_type not in WORK_TYPE_BIT:
                raise ValueError(f"posting {p.id}: unknown work type {p.work_type!r}")
        return cls(
            skills=table,
            postings=ordered,
            ids=_frozen(ids),
            lat=_frozen(lat),
            lng=_frozen(np.array([p.lng for p in ordered], dtype=np.float64)),
            ux=_frozen(np.array([u[0] for u in units], dtype=np.float64)),
            uy=_frozen(np.array([u[1] for u in units], dtype=np.float64)),
            uz=_frozen(np.array([u[2] for u in units], dtype=np.float64)),
            work_type_bit=_frozen(np.array([WORK_TYPE_BIT[p.work_type] for p in ordered], dtype=np.uint8)),
            shift_mask=_frozen(np.array([_mask(p.shifts, SHIFT_BIT) for p in ordered], dtype=np.uint8)),
            flag_mask=_frozen(np.array([_mask(p.flags, FLAG_BIT) for p in ordered], dtype=np.uint8)),
            wage_month=_frozen(np.array([to_month(p.wage_max, p.wage_unit) for p in ordered], dtype=np.float64)),
            age_days=_frozen(np.array([max(0.0, p.age_days) for p in ordered], dtype=np.float64)),
            n_required=_frozen(np.array([c[0] for c in counts], dtype=np.float64)),
            n_optional=_frozen(np.array([c[1] for c in counts], dtype=np.float64)),
            n_certs=_frozen(np.array([c[2] for c in counts], dtype=np.int64)),
            caps_headcount=_frozen(np.array([max(1, p.headcount) for p in ordered], dtype=np.int64)),
            features=features,
            features_csc=features.tocsc(),
            lat_order=_frozen(lat_order),
            lat_sorted=_frozen(lat[lat_order]),
        )

    def __len__(self) -> int:
        return len(self.postings)

    def position(self, posting_id: int) -> int | None:
        """Index position of a posting id, None if absent."""
        return _position(self.ids, posting_id)

    def get(self, posting_id: int) -> PostingIn | None:
        """The indexed posting with this id, if any."""
        i = self.position(posting_id)
        return None if i is None else self.postings[i]

    def with_posting(self, posting: PostingIn) -> PostingIndex:
        """A new index with this posting added or replaced."""
        return PostingIndex.build([p for p in self.postings if p.id != posting.id] + [posting], self.skills)

    def without_posting(self, posting_id: int) -> PostingIndex:
        """A new index without this posting."""
        return PostingIndex.build([p for p in self.postings if p.id != posting_id], self.skills)


@dataclass(frozen=True, slots=True, eq=False)
class SeekerIndex:
    """Seekers sorted by id, as columns and a sparse skill-feature matrix."""

    skills: SkillTable
    seekers: tuple[SeekerIn, ...]
    ids: Ints
    lat: Floats
    lng: Floats
    ux: Floats
    uy: Floats
    uz: Floats
    travel_km: Floats
    chord_sq_max: Floats  # squared chord of the travel range
    work_type_mask: Bytes  # all types when the seeker named none
    work_type_named: Bools
    available_mask: Bytes  # all slots when the seeker named none
    available_named: Bools
    expected_month: Floats  # NaN: no expectation or not comparable
    welcome_mask: Bytes  # posting flags that welcome this seeker's groups
    features: sp.csr_matrix  # seekers × features
    features_csc: sp.csc_matrix

    @classmethod
    def build(cls, seekers: Iterable[SeekerIn], skills: SkillTable | Iterable[SkillInfo]) -> SeekerIndex:
        """Index seekers (unique ids) over a skill vocabulary."""
        table = skills if isinstance(skills, SkillTable) else SkillTable.build(skills)
        ordered = tuple(sorted(seekers, key=lambda s: s.id))
        ids = np.array([s.id for s in ordered], dtype=np.int64)
        _check_ids(ids, "seekers")
        # Many seekers name the same skills: encode each distinct profile once.
        profiles: dict[tuple[tuple[int, int, bool], ...], dict[int, float]] = {}
        rows = []
        for s in ordered:
            if s.skills not in profiles:
                profiles[s.skills] = table.seeker_features(s.skills)
            rows.append(profiles[s.skills])
        units = [unit_vector(s.lat, s.lng) for s in ordered]
        wt = [_mask(s.work_types, WORK_TYPE_BIT) for s in ordered]
        av = [_mask(s.available, SHIFT_BIT) for s in ordered]
        welcome = [_mask((FLAG_FOR_TAG[t] for t in s.tags if t in FLAG_FOR_TAG), FLAG_BIT) for s in ordered]
        features = _csr(rows, table.n_features)
        return cls(
            skills=table,
            seekers=ordered,
            ids=_frozen(ids),
            lat=_frozen(np.array([s.lat for s in ordered], dtype=np.float64)),
            lng=_frozen(np.array([s.lng for s in ordered], dtype=np.float64)),
            ux=_frozen(np.array([u[0] for u in units], dtype=np.float64)),
            uy=_frozen(np.array([u[1] for u in units], dtype=np.float64)),
            uz=_frozen(np.array([u[2] for u in units], dtype=np.float64)),
            travel_km=_frozen(np.array([max(0.0, s.travel_km) for s in ordered], dtype=np.float64)),
            chord_sq_max=_frozen(np.array([max_chord_sq(s.travel_km) for s in ordered], dtype=np.float64)),
            work_type_mask=_frozen(np.array([m or ALL_WORK_TYPES for m in wt], dtype=np.uint8)),
            work_type_named=_frozen(np.array([m != 0 for m in wt], dtype=np.bool_)),
            available_mask=_frozen(np.array([m or ALL_SHIFTS for m in av], dtype=np.uint8)),
            available_named=_frozen(np.array([m != 0 for m in av], dtype=np.bool_)),
            expected_month=_frozen(
                np.array([to_month(s.expected_wage, s.expected_unit) for s in ordered], dtype=np.float64)
            ),
            welcome_mask=_frozen(np.array(welcome, dtype=np.uint8)),
            features=features,
            features_csc=features.tocsc(),
        )

    def __len__(self) -> int:
        return len(self.seekers)

    def position(self, seeker_id: int) -> int | None:
        """Index position of a seeker id, None if absent."""
        return _position(self.ids, seeker_id)

    def get(self, seeker_id: int) -> SeekerIn | None:
        """The indexed seeker with this id, if any."""
        i = self.position(seeker_id)
        return None if i is None else self.seekers[i]

    def with_seeker(self, seeker: SeekerIn) -> SeekerIndex:
        """A new index with this seeker added or replaced."""
        return SeekerIndex.build([s for s in self.seekers if s.id != seeker.id] + [seeker], self.skills)

    def without_seeker(self, seeker_id: int) -> SeekerIndex:
        """A new index without this seeker."""
        return SeekerIndex.build([s for s in self.seekers if s.id != seeker_id], self.skills)
