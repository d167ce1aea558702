"""Ranked pairs in columns, and how to read them per seeker or per posting."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .index import Floats, Ints
from .scoring import SCORE_SCALE
from .types import ScoredPair


def _frozen(array: Ints) -> Ints:
    out: Ints = np.ascontiguousarray(array, dtype=np.int64)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class PairTable:
    """Pairs with their scores as integer units (1/10000 of a point), one row per pair."""

    posting_ids: Ints
    seeker_ids: Ints
    units: Ints

    @classmethod
    def of(cls, posting_ids: Ints, seeker_ids: Ints, units: Ints) -> PairTable:
        """A read-only table of these columns."""
        return cls(_frozen(posting_ids), _frozen(seeker_ids), _frozen(units))

    def __len__(self) -> int:
        return len(self.units)

    @property
    def scores(self) -> Floats:
        """Scores in points."""
        out: Floats = self.units / SCORE_SCALE
        return out

    def pairs(self) -> Iterator[ScoredPair]:
        """The rows as ScoredPair, in table order."""
        for p, s, u in zip(self.posting_ids.tolist(), self.seeker_ids.tolist(), self.units.tolist(), strict=True):
            yield ScoredPair(posting_id=p, seeker_id=s, score=u / SCORE_SCALE)

    def _grouped(self, by: Ints, other: Ints) -> dict[int, tuple[ScoredPair, ...]]:
        order = np.lexsort((other, -self.units, by))
        keys = by[order].tolist()
        pairs = [
            ScoredPair(p, s, u / SCORE_SCALE)
            for p, s, u in zip(
                self.posting_ids[order].tolist(),
                self.seeker_ids[order].tolist(),
                self.units[order].tolist(),
                strict=True,
            )
        ]
        bounds = [0, *(np.flatnonzero(np.diff(by[order])) + 1).tolist(), len(pairs)]
        return {keys[a]: tuple(pairs[a:b]) for a, b in itertools.pairwise(bounds) if b > a}

    def by_seeker(self) -> dict[int, tuple[ScoredPair, ...]]:
        """Seeker id → their pairs, best first (higher score, then smaller posting id)."""
        return self._grouped(self.seeker_ids, self.posting_ids)

    def by_posting(self) -> dict[int, tuple[ScoredPair, ...]]:
        """Posting id → its pairs, best first (higher score, then smaller seeker id)."""
        return self._grouped(self.posting_ids, self.seeker_ids)


@dataclass(frozen=True, slots=True, eq=False)
class CapacityResult:
    """The capacity-aware ranking: what each posting keeps, and what each seeker is shown."""

    kept: PairTable  # per posting, its best cap seekers (what incremental updates maintain)
    recommended: PairTable  # per seeker, the best top_k of the postings that keep them
