"""Ranking: one posting against all seekers, one seeker against all postings, and the full runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .candidates import SweepStats, sweep
from .collectors import KEY_BITS, PostingTop, SeekerTop, group_ranks, key_other, key_units, pair_key, top_per_group
from .index import Floats, Ints, PostingIndex, SeekerIndex
from .results import CapacityResult, PairTable
from .scoring import SCORE_SCALE, Idx, posting_terms, score_pairs, seeker_terms, to_units
from .types import DEFAULT_PARAMS, DEFAULT_WEIGHTS, Params, PostingIn, ScoredPair, SeekerIn, Weights


def _accumulate(row: sp.csr_matrix, columns: sp.csc_matrix, n: int) -> Floats:
    """One entity's feature row times the other side's feature columns: the packed skill sums.
    Exact in any order, because every value is an integer below 2**53."""
    acc = np.zeros(n, dtype=np.float64)
    for col, value in zip(row.indices.tolist(), row.data.tolist(), strict=True):
        lo, hi = int(columns.indptr[col]), int(columns.indptr[col + 1])
        acc[columns.indices[lo:hi]] += columns.data[lo:hi] * value
    return acc


def _sorted_pairs(units: Ints, others: Idx, limit: int | None) -> tuple[Idx, Ints]:
    keys = np.sort(pair_key(units, others.astype(np.int64)))
    if limit is not None:
        keys = keys[:limit]
    return key_other(keys), key_units(keys)


def rank_for_posting(
    posting: PostingIn,
    seekers: SeekerIndex,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    limit: int | None = None,
) -> tuple[ScoredPair, ...]:
    """Eligible seekers for one posting (need not be in any index), best first: higher score, then smaller id."""
    one = PostingIndex.build([posting], seekers.skills)
    raw = _accumulate(one.features, seekers.features_csc, len(seekers))
    candidates: Idx = np.flatnonzero(raw)
    pt = posting_terms(one, np.zeros(1, dtype=np.intp), weights)
    st = seeker_terms(seekers, candidates, weights)
    pl = np.zeros(len(candidates), dtype=np.intp)
    _, sl, units = score_pairs(
        pt, st, pl, np.arange(len(candidates)), raw[candidates], weights, to_units(params.min_score)
    )
    at, units = _sorted_pairs(units, candidates[sl], limit)
    ids = seekers.ids[at].tolist()
    return tuple(ScoredPair(posting.id, s, u / SCORE_SCALE) for s, u in zip(ids, units.tolist(), strict=True))


def rank_for_seeker(
    seeker: SeekerIn,
    postings: PostingIndex,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    limit: int | None = None,
) -> tuple[ScoredPair, ...]:
    """Eligible postings for one seeker (need not be in any index), best first: higher score, then smaller id."""
    one = SeekerIndex.build([seeker], postings.skills)
    raw = _accumulate(one.features, postings.features_csc, len(postings))
    candidates: Idx = np.flatnonzero(raw)
    pt = posting_terms(postings, candidates, weights)
    st = seeker_terms(one, np.zeros(1, dtype=np.intp), weights)
    sl = np.zeros(len(candidates), dtype=np.intp)
    pl, _, units = score_pairs(
        pt, st, np.arange(len(candidates)), sl, raw[candidates], weights, to_units(params.min_score)
    )
    at, units = _sorted_pairs(units, candidates[pl], limit)
    ids = postings.ids[at].tolist()
    return tuple(ScoredPair(p, seeker.id, u / SCORE_SCALE) for p, u in zip(ids, units.tolist(), strict=True))


def kept_for_posting(
    posting: PostingIn, seekers: SeekerIndex, params: Params = DEFAULT_PARAMS, weights: Weights = DEFAULT_WEIGHTS
) -> tuple[ScoredPair, ...]:
    """The seekers a posting keeps under the capacity rule: its best ceil(cap_factor × headcount)."""
    return rank_for_posting(posting, seekers, params, weights, limit=params.cap(posting.headcount))


def recommend(kept_pairs: Iterable[ScoredPair], top_k: int) -> tuple[ScoredPair, ...]:
    """A seeker's recommendations from the pairs of the postings that keep them: the best top_k."""
    return tuple(sorted(kept_pairs, key=lambda p: (-p.score, p.posting_id))[:top_k])


def _table(postings: PostingIndex, seekers: SeekerIndex, pi: Ints, si: Ints, units: Ints) -> PairTable:
    return PairTable.of(postings.ids[pi], seekers.ids[si], units)


def _caps(postings: PostingIndex, params: Params) -> Ints:
    return np.array([params.cap(int(h)) for h in postings.caps_headcount.tolist()], dtype=np.int64)


@dataclass(frozen=True, slots=True, eq=False)
class Rankings:
    """Every ranking from one sweep (benchmarks and the bureau's comparison)."""

    topk: PairTable
    capacity: CapacityResult
    deferred: PairTable
    stats: SweepStats


def rank_topk(
    postings: PostingIndex, seekers: SeekerIndex, params: Params = DEFAULT_PARAMS, weights: Weights = DEFAULT_WEIGHTS
) -> PairTable:
    """Plain top-K: each seeker's best top_k postings, whoever else is shown them (rows by seeker, then rank)."""
    top = SeekerTop(params.top_k)
    sweep(postings, seekers, weights, to_units(params.min_score), seeker_top=top)
    si, pi, units = top.result()
    return _table(postings, seekers, pi, si, units)


def _capacity_from_kept(
    postings: PostingIndex, seekers: SeekerIndex, params: Params, pi: Ints, si: Ints, units: Ints
) -> CapacityResult:
    rs, rp, ru = top_per_group(si, units, pi, params.top_k)
    return CapacityResult(
        kept=_table(postings, seekers, pi, si, units), recommended=_table(postings, seekers, rp, rs, ru)
    )


def _kept_positions(
    postings: PostingIndex, seekers: SeekerIndex, params: Params, weights: Weights
) -> tuple[Ints, Ints, Ints]:
    top = PostingTop(_caps(postings, params))
    sweep(postings, seekers, weights, to_units(params.min_score), posting_top=top)
    return top.result()


def rank_capacity_aware(
    postings: PostingIndex, seekers: SeekerIndex, params: Params = DEFAULT_PARAMS, weights: Weights = DEFAULT_WEIGHTS
) -> CapacityResult:
    """Capacity-aware ranking in two local passes: each posting keeps its best ceil(cap_factor × headcount)
    seekers; each seeker is shown the best top_k of the postings that keep them."""
    pi, si, units = _kept_positions(postings, seekers, params, weights)
    return _capacity_from_kept(postings, seekers, params, pi, si, units)


def rank_kept(
    postings: PostingIndex, seekers: SeekerIndex, params: Params = DEFAULT_PARAMS, weights: Weights = DEFAULT_WEIGHTS
) -> PairTable:
    """The first pass alone: each posting's kept seekers (what `rank_capacity_aware(...).kept` gives),
    for callers that store the kept relation and derive the second pass elsewhere."""
    pi, si, units = _kept_positions(postings, seekers, params, weights)
    return _table(postings, seekers, pi, si, units)


def _ranges(starts: Ints, counts: Ints) -> Ints:
    """Concatenated ranges [start, start + count)."""
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    out: Ints = np.repeat(starts, counts) + (np.arange(total) - offsets)
    return out


def deferred_acceptance(
    pool_s: Ints, pool_p: Ints, pool_units: Ints, caps: Ints, top_k: int, n_seekers: int
) -> tuple[Ints, Ints, Ints]:
    """Seeker-proposing deferred acceptance over candidate pools (rows by seeker, then preference):
    seekers propose down their pool until they hold top_k; a posting holds its best cap proposals.
    Returns the held pairs (seeker, posting, units), by seeker then rank."""
    counts = np.bincount(pool_s, minlength=n_seekers)
    end = np.cumsum(counts)
    ptr = end - counts
    held = np.zeros(0, dtype=np.int64)  # packed (posting, key)
    while True:
        held_count = np.bincount(key_other(held), minlength=n_seekers)
        need = np.minimum(top_k - held_count, end - ptr)
        active = np.flatnonzero(need > 0)
        if len(active) == 0:
            break
        proposed = _ranges(ptr[active], need[active])
        ptr[active] += need[active]
        offers = (pool_p[proposed] << KEY_BITS) | pair_key(pool_units[proposed], pool_s[proposed])
        packed = np.sort(np.concatenate([held, offers]))
        posting = packed >> KEY_BITS
        held = packed[group_ranks(posting) < caps[posting]]
    s, p, u = key_other(held), held >> KEY_BITS, key_units(held)
    return top_per_group(s, u, p, top_k)


def rank_deferred_acceptance(
    postings: PostingIndex, seekers: SeekerIndex, params: Params = DEFAULT_PARAMS, weights: Weights = DEFAULT_WEIGHTS
) -> PairTable:
    """The global alternative, for comparison only: deferred acceptance over each seeker's best
    pool_size postings. Not reproducible by incremental updates (a change can cascade anywhere)."""
    top = SeekerTop(params.pool_size)
    sweep(postings, seekers, weights, to_units(params.min_score), seeker_top=top)
    si, pi, units = top.result()
    s, p, u = deferred_acceptance(si, pi, units, _caps(postings, params), params.top_k, len(seekers))
    return _table(postings, seekers, p, s, u)


def rank_all(
    postings: PostingIndex, seekers: SeekerIndex, params: Params = DEFAULT_PARAMS, weights: Weights = DEFAULT_WEIGHTS
) -> Rankings:
    """Plain top-K, capacity-aware and deferred acceptance from a single sweep."""
    caps = _caps(postings, params)
    seeker_top = SeekerTop(params.pool_size)
    posting_top = PostingTop(caps)
    stats = sweep(postings, seekers, weights, to_units(params.min_score), seeker_top, posting_top)
    si, pi, units = seeker_top.result()
    topk_s, topk_p, topk_u = top_per_group(si, units, pi, params.top_k)
    da_s, da_p, da_u = deferred_acceptance(si, pi, units, caps, params.top_k, len(seekers))
    kp, ks, ku = posting_top.result()
    return Rankings(
        topk=_table(postings, seekers, topk_p, topk_s, topk_u),
        capacity=_capacity_from_kept(postings, seekers, params, kp, ks, ku),
        deferred=_table(postings, seekers, da_p, da_s, da_u),
        stats=stats,
    )
