"""The reach guarantee (issue 18): the capacity rule's spread, without leaving seekers out.

The capacity rule lets each posting keep its best ``ceil(cap_factor × headcount)`` seekers. It
spreads recommendations, but a seeker whose every suitable posting keeps better-placed seekers
is shown nothing at all (10.5 % of the active seekers of the full demo data). The rule here:

1. **soft lists**: each posting keeps its best ``ceil(soft_cap_factor × headcount)`` seekers
   (the capacity rule with a tighter cap, which lowers the Gini);
2. **claims**: a seeker kept by *no* soft list claims their ``claims`` best suitable postings;
3. **hard cap**: a posting keeps the claimants too, best first, while its list is shorter than
   ``ceil(hard_cap_factor × headcount)``;
4. each seeker is shown the best ``top_k`` of the postings that keep them.

Every step is local to one posting (1, 3) or one seeker (2), so an incremental update touches a
posting, the seekers whose soft membership changed, and the postings those seekers claim: no
cascade beyond that (unlike deferred acceptance). Measured on the full demo data, see
bench/README.md ("Reach"): with (2, 3, 20) it meets every target of the issue at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .candidates import sweep
from .collectors import PostingTop, SeekerTop, top_per_group
from .index import Ints, PostingIndex, SeekerIndex
from .results import CapacityResult, PairTable
from .scoring import to_units
from .types import DEFAULT_PARAMS, DEFAULT_WEIGHTS, Params, ScoredPair, Weights


@dataclass(frozen=True, slots=True)
class ReachParams:
    """The three numbers of the reach guarantee (chosen by measurement, bench/README.md)."""

    soft_cap_factor: float = 2.0
    claims: int = 3
    hard_cap_factor: float = 20.0

    def __post_init__(self) -> None:
        """Reject parameters that make no sense."""
        if self.soft_cap_factor <= 0 or self.claims < 0 or self.hard_cap_factor < self.soft_cap_factor:
            raise ValueError("need soft_cap_factor > 0, claims >= 0, hard_cap_factor >= soft_cap_factor")

    def soft_cap(self, headcount: int) -> int:
        """How many seekers a posting keeps on merit alone."""
        return max(1, math.ceil(self.soft_cap_factor * max(1, headcount) - 1e-9))

    def hard_cap(self, headcount: int) -> int:
        """How many seekers a posting keeps at most, claimants included."""
        return max(1, math.ceil(self.hard_cap_factor * max(1, headcount) - 1e-9))

    def admit(self, claims: Iterable[ScoredPair], *, headcount: int, soft_kept: int) -> tuple[ScoredPair, ...]:
        """The claimants a posting admits: its best claims (higher score, then the smaller seeker
        id) while its list, ``soft_kept`` on merit, is under the hard cap. One rule for the
        incremental update and the nightly run's settling of its stored rows (the full pass applies
        the same rule vectorised)."""
        room = max(0, self.hard_cap(headcount) - soft_kept)
        return tuple(sorted(claims, key=lambda x: (-x.score, x.seeker_id))[:room])


DEFAULT_REACH = ReachParams()


@dataclass(frozen=True, slots=True, eq=False)
class ReachResult:
    """The kept pairs (soft and claimed), which of them were claimed (admitted claims), every claim
    (admitted or not: what an incremental update needs to know who waits for room), and the
    recommendations."""

    kept: PairTable
    claimed: PairTable
    claims: PairTable
    recommended: PairTable

    def as_capacity(self) -> CapacityResult:
        """The same shape as the capacity rule's result."""
        return CapacityResult(kept=self.kept, recommended=self.recommended)


def _caps(postings: PostingIndex, cap: Callable[[int], int]) -> Ints:
    return np.array([cap(int(h)) for h in postings.caps_headcount.tolist()], dtype=np.int64)


def reach_allocate(
    soft: tuple[Ints, Ints, Ints],
    best: tuple[Ints, Ints, Ints],
    hard_caps: Ints,
    claims: int,
    n_seekers: int,
) -> tuple[tuple[Ints, Ints, Ints], tuple[Ints, Ints, Ints], tuple[Ints, Ints, Ints]]:
    """Steps 2–3 over positions. ``soft``: (posting, seeker, units) of the soft lists; ``best``:
    (seeker, posting, units), each seeker's best suitable postings by seeker then rank (at least
    ``claims`` of them where they exist). Returns the kept pairs, among them the claimed (admitted)
    ones, and every claim made, all as (posting, seeker, units)."""
    sp, ss, su = soft
    bs, bp, bu = best
    served = np.bincount(ss, minlength=n_seekers)
    ranks = np.zeros(len(bs), dtype=np.int64)
    if len(bs):
        starts = np.flatnonzero(np.r_[True, bs[1:] != bs[:-1]])
        ranks = np.arange(len(bs)) - np.repeat(starts, np.diff(np.r_[starts, len(bs)]))
    wanted = (ranks < claims) & (served[bs] == 0)
    room = np.maximum(0, hard_caps - np.bincount(sp, minlength=len(hard_caps)))
    cp, cs, cu = top_per_group(bp[wanted], bu[wanted], bs[wanted], room)
    kept = (np.concatenate([sp, cp]), np.concatenate([ss, cs]), np.concatenate([su, cu]))
    return kept, (cp, cs, cu), (bp[wanted], bs[wanted], bu[wanted])


def reach_pass(
    postings: PostingIndex,
    seekers: SeekerIndex,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
    reach: ReachParams = DEFAULT_REACH,
) -> tuple[PairTable, PairTable]:
    """Step 1 and the input of step 2 over some of the postings (a chunk of the full run): their soft
    lists, and each seeker's best ``claims`` pairs among them. Soft lists are local to a posting, and
    a seeker's best over all postings are the best of the union of such lists, so chunks can be
    ranked apart and settled together."""
    soft_top = PostingTop(_caps(postings, reach.soft_cap))
    best_top = SeekerTop(max(1, reach.claims))
    sweep(postings, seekers, weights, to_units(params.min_score), best_top, soft_top)
    sp, ss, su = soft_top.result()
    bs, bp, bu = best_top.result()
    return (
        PairTable.of(postings.ids[sp], seekers.ids[ss], su),
        PairTable.of(postings.ids[bp], seekers.ids[bs], bu),
    )


def rank_reaching(
    postings: PostingIndex,
    seekers: SeekerIndex,
    params: Params = DEFAULT_PARAMS,
    weights: Weights = DEFAULT_WEIGHTS,
    reach: ReachParams = DEFAULT_REACH,
) -> ReachResult:
    """The reach guarantee as a full run, from one sweep (``params.cap_factor`` is not used: the
    soft and hard caps come from ``reach``)."""
    soft_top = PostingTop(_caps(postings, reach.soft_cap))
    best_top = SeekerTop(max(1, reach.claims))
    sweep(postings, seekers, weights, to_units(params.min_score), best_top, soft_top)
    kept, claimed, claims = reach_allocate(
        soft_top.result(), best_top.result(), _caps(postings, reach.hard_cap), reach.claims, len(seekers)
    )
    kp, ks, ku = kept
    rs, rp, ru = top_per_group(ks, ku, kp, params.top_k)

    def table(p: Ints, s: Ints, u: Ints) -> PairTable:
        return PairTable.of(postings.ids[p], seekers.ids[s], u)

    return ReachResult(kept=table(*kept), claimed=table(*claimed), claims=table(*claims), recommended=table(rp, rs, ru))
