"""Incremental updates of the reach guarantee that leave exactly what a full `rank_reaching` would.

The stored state has three relations (see reach.py for the rule):

- **soft** lists: each posting's best ``soft_cap`` seekers on merit (the capacity rule);
- **claims**: each *unserved* seeker's (kept by no soft list) best ``claims`` suitable postings,
  admitted or not (a claim waiting for room is admitted when room opens);
- **admitted** claimants: each posting's best claims, while soft + admitted ≤ ``hard_cap``.

A seeker is shown the best ``top_k`` of the postings that keep them (soft or admitted).

After a change, only these move: the changed posting's soft list (or, after a seeker's change, the
soft lists that seeker leaves or enters and the seeker each displaces); the claims of the seekers
whose served state flips (plus, after a posting's change, the unserved seekers whose best postings
it enters or leaves; after a seeker's change, that seeker's own); the admitted lists of every
posting whose soft list or claims moved; the recommendations of every seeker whose kept set moved.
No cascade beyond that: claims depend only on the seeker's own scores and served state, and
served state only on soft lists, which depend on no claim.

The caller supplies what the indexes at hand do not hold through `ReachWorld` (the database glue
loads it; tests use full indexes) and serialises updates, as for `incremental.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .index import PostingIndex, SeekerIndex
from .ranking import kept_for_posting, rank_for_posting, rank_for_seeker, recommend
from .reach import DEFAULT_REACH, ReachParams, ReachResult
from .types import DEFAULT_PARAMS, DEFAULT_WEIGHTS, Params, PostingIn, ScoredPair, SeekerIn, Weights

Pairs = tuple[ScoredPair, ...]


def _seeker_order(pair: ScoredPair) -> tuple[float, int]:
    """A posting's list order: higher score, then the smaller seeker id."""
    return (-pair.score, pair.seeker_id)


def _posting_order(pair: ScoredPair) -> tuple[float, int]:
    """A seeker's list order: higher score, then the smaller posting id."""
    return (-pair.score, pair.posting_id)


class ReachStore(Protocol):
    """Read access to the stored state (each call may be one query; missing keys mean empty)."""

    def soft_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each posting's soft list."""
        ...

    def soft_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each seeker's soft pairs (the postings keeping them on merit)."""
        ...

    def admitted_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each posting's admitted claimants."""
        ...

    def kept_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each seeker's kept pairs, soft and admitted."""
        ...

    def claims_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each unserved seeker's claims."""
        ...

    def claims_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        """Each posting's claims, admitted or waiting."""
        ...

    def served_among(self, seeker_ids: Collection[int]) -> set[int]:
        """Those of these seekers who are in at least one soft list."""
        ...


class ReachWorld(Protocol):
    """The current data beyond the indexes the update was given."""

    def headcounts(self, posting_ids: Collection[int]) -> Mapping[int, int]:
        """Each matchable posting's headcount (a posting no longer matchable is missing)."""
        ...

    def best_postings(self, seeker_ids: Collection[int], limit: int) -> Mapping[int, Pairs]:
        """Each seeker's best ``limit`` suitable postings, best first (`rank_for_seeker` over every
        posting in their range)."""
        ...


@dataclass(frozen=True, slots=True)
class ReachUpdate:
    """What to store. Every posting named gets its complete new soft and admitted lists (empty
    tuples delete); every seeker named in ``claims`` or ``recommended`` gets that complete list."""

    soft: Mapping[int, Pairs]
    admitted: Mapping[int, Pairs]
    claims: Mapping[int, Pairs]
    recommended: Mapping[int, Pairs]

    def kept(self) -> dict[int, Pairs]:
        """Each named posting's kept list: soft, then admitted."""
        return {p: (*self.soft[p], *self.admitted[p]) for p in self.soft}


def _members(pairs: Iterable[ScoredPair]) -> set[int]:
    return {x.seeker_id for x in pairs}


def _top_claims(pairs: Iterable[ScoredPair], limit: int) -> Pairs:
    return tuple(sorted(pairs, key=_posting_order)[:limit])


@dataclass(slots=True)
class _Settle:
    """One update's working state: new soft lists and claims, then admitted lists and recommendations."""

    store: ReachStore
    world: ReachWorld
    reach: ReachParams
    top_k: int
    soft: dict[int, Pairs]
    claims: dict[int, Pairs] = dataclasses.field(default_factory=dict)
    rescored: set[int] = dataclasses.field(default_factory=set)  # seekers whose scores changed (recommend anew)

    def flip_served(self, touched: set[int], gone: Collection[int], own: Mapping[int, Pairs]) -> None:
        """Claims of the seekers whose soft membership moved: dropped when served (or gone), made
        when newly unserved. ``own``: seekers whose best postings the caller already knows."""
        stored_soft = self.store.soft_for_seekers(touched)
        in_new = _members(x for pairs in self.soft.values() for x in pairs)
        stored_claims = self.store.claims_for_seekers(touched)
        need: set[int] = set()
        for s in touched:
            was_served = bool(stored_soft.get(s))
            served = s not in gone and (
                s in in_new or any(x.posting_id not in self.soft for x in stored_soft.get(s, ()))
            )
            if served or s in gone:
                if stored_claims.get(s) or s in own:
                    self.claims[s] = ()
            elif s in own:
                self.claims[s] = own[s][: self.reach.claims]
            elif was_served:
                need.add(s)
        if need:
            best = self.world.best_postings(need, self.reach.claims)
            for s in need:
                self.claims[s] = tuple(best.get(s, ()))[: self.reach.claims]

    def posting_rescored(self, posting_id: int, eligible: Pairs) -> None:
        """After a posting's change: the unserved seekers it enters or leaves the best postings of
        (those whose served state moved are settled already)."""
        k = self.reach.claims
        if k == 0:
            return
        in_new_soft = _members(self.soft[posting_id])
        waiting = self.store.claims_for_postings([posting_id]).get(posting_id, ())
        by_seeker = {x.seeker_id: x for x in eligible}
        redo: set[int] = set()
        claimants = {x.seeker_id for x in waiting}
        if claimants - set(self.claims):
            stored = self.store.claims_for_seekers(claimants - set(self.claims))
            for s, mine in stored.items():
                old = next(x for x in mine if x.posting_id == posting_id)
                new = by_seeker.get(s)
                if new is not None and new.score >= old.score:
                    # Still among their best (it only rose): the same set, maybe in a new order.
                    self.claims[s] = _top_claims([*(x for x in mine if x.posting_id != posting_id), new], k)
                else:
                    redo.add(s)  # fell or left: only a fresh ranking knows what comes next
        if redo:
            best = self.world.best_postings(redo, k)
            for s in redo:
                self.claims[s] = tuple(best.get(s, ()))[:k]
        rest = [s for s in by_seeker if s not in self.claims and s not in claimants and s not in in_new_soft]
        if not rest:
            return
        stored = self.store.claims_for_seekers(rest)
        unserved = set(stored) | (set(rest) - set(stored) - self.store.served_among(set(rest) - set(stored)))
        for s in rest:
            if s not in unserved:
                continue
            mine = tuple(stored.get(s, ()))
            pair = by_seeker[s]
            if len(mine) < k or _posting_order(pair) < _posting_order(mine[-1]):
                self.claims[s] = _top_claims([*mine, pair], k)

    def finish(self, gone: Collection[int]) -> ReachUpdate:
        """Admitted lists of every posting whose soft list or claims moved, then recommendations."""
        stored_claims = self.store.claims_for_seekers(set(self.claims))
        touched = set(self.soft)
        for s, new in self.claims.items():
            touched |= {x.posting_id for x in (*stored_claims.get(s, ()), *new)}
        postings = sorted(touched)
        old_soft = self.store.soft_for_postings(postings)
        old_admitted = self.store.admitted_for_postings(postings)
        waiting = self.store.claims_for_postings(postings)
        heads = self.world.headcounts(postings)
        claimed_now: dict[int, list[ScoredPair]] = {}
        for new in self.claims.values():
            for x in new:
                claimed_now.setdefault(x.posting_id, []).append(x)
        soft: dict[int, Pairs] = {}
        admitted: dict[int, Pairs] = {}
        affected = self.rescored | set(gone)
        for p in postings:
            soft[p] = self.soft[p] if p in self.soft else tuple(old_soft.get(p, ()))
            if p in heads:
                claims = [x for x in waiting.get(p, ()) if x.seeker_id not in self.claims] + claimed_now.get(p, [])
                admitted[p] = self.reach.admit(claims, headcount=heads[p], soft_kept=len(soft[p]))
            else:
                admitted[p] = ()
            before = _members((*old_soft.get(p, ()), *old_admitted.get(p, ())))
            affected |= before ^ _members((*soft[p], *admitted[p]))
        new_by_seeker: dict[int, list[ScoredPair]] = {}
        for p in postings:
            for x in (*soft[p], *admitted[p]):
                new_by_seeker.setdefault(x.seeker_id, []).append(x)
        stored_kept = self.store.kept_for_seekers(affected)
        recommended: dict[int, Pairs] = {}
        for s in affected:
            if s in gone:
                recommended[s] = ()
                continue
            still = [x for x in stored_kept.get(s, ()) if x.posting_id not in touched]
            recommended[s] = recommend(still + new_by_seeker.get(s, []), self.top_k)
        return ReachUpdate(soft=soft, admitted=admitted, claims=dict(self.claims), recommended=recommended)


def _soft_params(params: Params, reach: ReachParams) -> Params:
    return dataclasses.replace(params, cap_factor=reach.soft_cap_factor)


def update_for_posting_reaching(
    posting_id: int,
    posting: PostingIn | None,
    seekers: SeekerIndex,
    store: ReachStore,
    world: ReachWorld,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
    reach: ReachParams = DEFAULT_REACH,
) -> ReachUpdate:
    """After a posting is published, edited or withdrawn (None). ``seekers`` must index every current
    seeker who could be eligible for it."""
    eligible = rank_for_posting(posting, seekers, params, weights) if posting is not None else ()
    new_soft = eligible[: reach.soft_cap(posting.headcount)] if posting is not None else ()
    old_soft = tuple(store.soft_for_postings([posting_id]).get(posting_id, ()))
    old_admitted = tuple(store.admitted_for_postings([posting_id]).get(posting_id, ()))
    work = _Settle(store, world, reach, params.top_k, soft={posting_id: new_soft})
    # Every pair of this posting may have a new score: its seekers' lists are sorted anew.
    work.rescored = _members((*old_soft, *old_admitted, *new_soft))
    work.flip_served(_members(old_soft) ^ _members(new_soft), gone=(), own={})
    work.posting_rescored(posting_id, eligible)
    return work.finish(gone=())


def update_for_seeker_reaching(
    seeker_id: int,
    seeker: SeekerIn | None,
    postings: PostingIndex,
    seekers: SeekerIndex,
    store: ReachStore,
    world: ReachWorld,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
    reach: ReachParams = DEFAULT_REACH,
) -> ReachUpdate:
    """After a seeker registers, edits or withdraws (None). ``postings`` must index every current
    posting in the seeker's range and those keeping them now; ``seekers`` every seeker competing for
    those (this one included)."""
    soft_params = _soft_params(params, reach)
    was_soft_by = {x.posting_id for x in store.soft_for_seekers([seeker_id]).get(seeker_id, ())}
    candidates = rank_for_seeker(seeker, postings, params, weights) if seeker is not None else ()
    entering = [c for c in candidates if c.posting_id not in was_soft_by]
    stored = store.soft_for_postings(was_soft_by | {c.posting_id for c in entering})
    soft: dict[int, Pairs] = {}
    for posting_id in sorted(was_soft_by):
        current = postings.get(posting_id)
        soft[posting_id] = kept_for_posting(current, seekers, soft_params, weights) if current is not None else ()
    for pair in entering:
        current = postings.get(pair.posting_id)
        assert current is not None  # rank_for_seeker only returns indexed postings
        kept = tuple(sorted(stored.get(pair.posting_id, ()), key=_seeker_order))
        cap = reach.soft_cap(current.headcount)
        if len(kept) < cap or _seeker_order(pair) < _seeker_order(kept[-1]):
            soft[pair.posting_id] = tuple(sorted((*kept, pair), key=_seeker_order)[:cap])
    touched = {seeker_id}
    for posting_id, new in soft.items():
        touched |= _members(stored.get(posting_id, ())) ^ _members(new)
    gone = () if seeker is not None else (seeker_id,)
    work = _Settle(store, world, reach, params.top_k, soft=soft, rescored={seeker_id})
    own = {seeker_id: candidates[: reach.claims]} if seeker is not None else {}
    work.flip_served(touched, gone=gone, own=own)
    return work.finish(gone=gone)


class ReachMemoryStore:
    """An in-memory ReachStore with the recommendations alongside (tests, benchmarks, and a model of
    the tables)."""

    def __init__(self) -> None:
        self.soft: dict[int, Pairs] = {}
        self.admitted: dict[int, Pairs] = {}
        self.claims: dict[int, Pairs] = {}
        self.recommended: dict[int, Pairs] = {}

    @classmethod
    def from_result(cls, result: ReachResult) -> ReachMemoryStore:
        """The state a full run leaves."""
        store = cls()
        admitted = {(x.posting_id, x.seeker_id) for x in result.claimed.pairs()}
        for posting_id, pairs in result.kept.by_posting().items():
            store.soft[posting_id] = tuple(x for x in pairs if (x.posting_id, x.seeker_id) not in admitted)
            store.admitted[posting_id] = tuple(x for x in pairs if (x.posting_id, x.seeker_id) in admitted)
        store.soft = {p: v for p, v in store.soft.items() if v}
        store.admitted = {p: v for p, v in store.admitted.items() if v}
        store.claims = result.claims.by_seeker()
        store.recommended = result.recommended.by_seeker()
        return store

    @staticmethod
    def _by_seeker(lists: Mapping[int, Pairs], seeker_ids: Collection[int]) -> dict[int, list[ScoredPair]]:
        wanted = set(seeker_ids)
        out: dict[int, list[ScoredPair]] = {}
        for pairs in lists.values():
            for x in pairs:
                if x.seeker_id in wanted:
                    out.setdefault(x.seeker_id, []).append(x)
        return out

    def soft_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        return {p: self.soft[p] for p in posting_ids if p in self.soft}

    def soft_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        return self._by_seeker(self.soft, seeker_ids)

    def admitted_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        return {p: self.admitted[p] for p in posting_ids if p in self.admitted}

    def kept_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        out = self._by_seeker(self.soft, seeker_ids)
        for s, pairs in self._by_seeker(self.admitted, seeker_ids).items():
            out.setdefault(s, []).extend(pairs)
        return out

    def claims_for_seekers(self, seeker_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        return {s: self.claims[s] for s in seeker_ids if s in self.claims}

    def claims_for_postings(self, posting_ids: Collection[int]) -> Mapping[int, Sequence[ScoredPair]]:
        wanted = set(posting_ids)
        out: dict[int, list[ScoredPair]] = {}
        for pairs in self.claims.values():
            for x in pairs:
                if x.posting_id in wanted:
                    out.setdefault(x.posting_id, []).append(x)
        return out

    def served_among(self, seeker_ids: Collection[int]) -> set[int]:
        return set(self._by_seeker(self.soft, seeker_ids))

    def apply(self, update: ReachUpdate) -> None:
        """Store an update: replace the lists it names, drop the ones it empties."""
        for target, source in (
            (self.soft, update.soft),
            (self.admitted, update.admitted),
            (self.claims, update.claims),
            (self.recommended, update.recommended),
        ):
            for key, pairs in source.items():
                if pairs:
                    target[key] = pairs
                else:
                    target.pop(key, None)
