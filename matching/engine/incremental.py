"""Incremental updates of the capacity-aware ranking that leave exactly what a full run would.

The capacity rule is two local passes (see README.md): a posting's kept list depends only on that
posting and the seekers; a seeker's recommendations depend only on the kept lists they appear in.
So after one posting changes, only its own kept list changes, and only the seekers entering or
leaving it need new recommendations. After one seeker changes, a posting's kept list can change
only where that seeker was kept before or would be kept now, and each such list changes by that
seeker and the one it displaces or lets in.

The stored state is the kept relation with scores; the caller reads it through `KeptStore`, applies
the returned `Update` atomically, and serialises updates (two concurrent updates could each read
the state before the other's write).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .index import PostingIndex, SeekerIndex
from .ranking import kept_for_posting, rank_for_seeker, recommend
from .results import CapacityResult
from .types import DEFAULT_PARAMS, DEFAULT_WEIGHTS, Params, PostingIn, ScoredPair, SeekerIn, Weights


class KeptStore(Protocol):
    """Read access to the stored kept relation (each call may be one query)."""

    def kept_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each posting's stored kept list (postings keeping nobody may be missing)."""
        ...

    def kept_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each seeker's stored kept pairs, i.e. the postings keeping them (may be missing if none)."""
        ...


@dataclass(frozen=True, slots=True)
class Update:
    """What to store: complete new kept lists and recommendation lists (an empty tuple deletes)."""

    kept: Mapping[int, tuple[ScoredPair, ...]]  # posting id → its kept seekers, best first
    recommended: Mapping[int, tuple[ScoredPair, ...]]  # seeker id → their recommendations, best first


def _order(pair: ScoredPair) -> tuple[float, int]:
    return (-pair.score, pair.seeker_id)


def _recommendations(
    seeker_ids: Collection[int],
    changed: Mapping[int, tuple[ScoredPair, ...]],
    store: KeptStore,
    top_k: int,
) -> dict[int, tuple[ScoredPair, ...]]:
    """Recommendations of these seekers once the changed kept lists replace the stored ones."""
    stored = store.kept_for_seekers(seeker_ids)
    new_by_seeker: dict[int, list[ScoredPair]] = {}
    for pairs in changed.values():
        for pair in pairs:
            new_by_seeker.setdefault(pair.seeker_id, []).append(pair)
    out: dict[int, tuple[ScoredPair, ...]] = {}
    for seeker_id in seeker_ids:
        still = [p for p in stored.get(seeker_id, ()) if p.posting_id not in changed]
        out[seeker_id] = recommend(still + new_by_seeker.get(seeker_id, []), top_k)
    return out


def update_for_posting(
    posting_id: int,
    posting: PostingIn | None,
    seekers: SeekerIndex,
    store: KeptStore,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Update:
    """After a posting is published, edited or withdrawn (None): its kept list and the affected seekers'
    recommendations. `seekers` must index the current seekers."""
    old = tuple(store.kept_for_postings([posting_id]).get(posting_id, ()))
    new = kept_for_posting(posting, seekers, params, weights) if posting is not None else ()
    affected = {p.seeker_id for p in old} | {p.seeker_id for p in new}
    changed = {posting_id: new}
    return Update(kept=changed, recommended=_recommendations(affected, changed, store, params.top_k))


def update_for_seeker(
    seeker_id: int,
    seeker: SeekerIn | None,
    postings: PostingIndex,
    seekers: SeekerIndex,
    store: KeptStore,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Update:
    """After a seeker registers, edits or withdraws (None): the kept lists that change and the affected
    seekers' recommendations. `postings` and `seekers` must index the current data (this seeker included)."""
    was_kept_by = {p.posting_id for p in store.kept_for_seekers([seeker_id]).get(seeker_id, ())}
    candidates = rank_for_seeker(seeker, postings, params, weights) if seeker is not None else ()
    entering = [c for c in candidates if c.posting_id not in was_kept_by]
    stored = store.kept_for_postings(was_kept_by | {c.posting_id for c in entering})
    changed: dict[int, tuple[ScoredPair, ...]] = {}
    for posting_id in sorted(was_kept_by):
        # The seeker may have fallen out or moved: only a fresh ranking knows who comes next.
        current = postings.get(posting_id)
        changed[posting_id] = kept_for_posting(current, seekers, params, weights) if current is not None else ()
    for pair in entering:
        # The seeker was not kept here before, so the stored list is this posting's best of the
        # others: the seeker enters if there is room or it beats the weakest.
        current = postings.get(pair.posting_id)
        assert current is not None  # rank_for_seeker only returns indexed postings
        kept = tuple(sorted(stored.get(pair.posting_id, ()), key=_order))
        cap = params.cap(current.headcount)
        if len(kept) < cap or _order(pair) < _order(kept[-1]):
            changed[pair.posting_id] = tuple(sorted((*kept, pair), key=_order)[:cap])
    affected = {seeker_id}
    for posting_id, new in changed.items():
        before = {p.seeker_id for p in stored.get(posting_id, ())}
        after = {p.seeker_id for p in new}
        affected |= before ^ after
    recommended = _recommendations(affected, changed, store, params.top_k)
    if seeker is None:
        recommended[seeker_id] = ()
    return Update(kept=changed, recommended=recommended)


class MemoryStore:
    """An in-memory KeptStore with the recommendations alongside (tests, benchmarks, and a model of
    the tables: kept pairs indexed both by posting and by seeker)."""

    def __init__(
        self,
        kept: Mapping[int, tuple[ScoredPair, ...]] | None = None,
        recommended: Mapping[int, tuple[ScoredPair, ...]] | None = None,
    ) -> None:
        self.kept: dict[int, tuple[ScoredPair, ...]] = {}
        self.recommended: dict[int, tuple[ScoredPair, ...]] = dict(recommended or {})
        self._by_seeker: dict[int, dict[int, ScoredPair]] = {}
        for posting_id, pairs in (kept or {}).items():
            self._set_kept(posting_id, pairs)

    @classmethod
    def from_result(cls, result: CapacityResult) -> MemoryStore:
        """The state a full run leaves."""
        return cls(kept=result.kept.by_posting(), recommended=result.recommended.by_seeker())

    def kept_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each posting's kept list."""
        return {p: self.kept[p] for p in posting_ids if p in self.kept}

    def kept_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each seeker's kept pairs."""
        return {s: tuple(self._by_seeker[s].values()) for s in seeker_ids if self._by_seeker.get(s)}

    def _set_kept(self, posting_id: int, pairs: tuple[ScoredPair, ...]) -> None:
        for old in self.kept.pop(posting_id, ()):
            self._by_seeker[old.seeker_id].pop(posting_id, None)
        if pairs:
            self.kept[posting_id] = pairs
            for pair in pairs:
                self._by_seeker.setdefault(pair.seeker_id, {})[posting_id] = pair

    def apply(self, update: Update) -> None:
        """Store an update: replace the lists it names, drop the ones it empties."""
        for posting_id, pairs in update.kept.items():
            self._set_kept(posting_id, pairs)
        for seeker_id, pairs in update.recommended.items():
            if pairs:
                self.recommended[seeker_id] = pairs
            else:
                self.recommended.pop(seeker_id, None)
