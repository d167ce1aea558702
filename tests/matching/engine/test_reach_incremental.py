"""The reach guarantee stays incremental: random edits applied one by one leave what a full run would."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import Params, PostingIndex, ReachParams, SeekerIndex, SkillTable, rank_for_seeker, rank_reaching
from matching.engine.reach_incremental import (
    ReachMemoryStore,
    update_for_posting_reaching,
    update_for_seeker_reaching,
)
from matching.engine.synthetic import make_market
from matching.engine.types import PostingIn, ScoredPair, SeekerIn
from tests.matching.engine.edits import random_edit
from tests.matching.engine.test_incremental import _related_seekers


class World:
    """The current data, as the database glue would load it."""

    def __init__(
        self, postings: dict[int, PostingIn], seekers: dict[int, SeekerIn], table: SkillTable, params: Params
    ) -> None:
        self.postings, self.seekers, self.table, self.params = postings, seekers, table, params

    def headcounts(self, posting_ids: Collection[int]) -> Mapping[int, int]:
        return {p: self.postings[p].headcount for p in posting_ids if p in self.postings}

    def best_postings(self, seeker_ids: Collection[int], limit: int) -> Mapping[int, tuple[ScoredPair, ...]]:
        index = PostingIndex.build(self.postings.values(), self.table)
        return {s: rank_for_seeker(self.seekers[s], index, self.params, limit=limit) for s in seeker_ids}


def _full(postings, seekers, table, params, reach) -> ReachMemoryStore:
    p_index, s_index = PostingIndex.build(postings.values(), table), SeekerIndex.build(seekers.values(), table)
    return ReachMemoryStore.from_result(rank_reaching(p_index, s_index, params, reach=reach))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_edits_then_incremental_equals_full(seed: int) -> None:
    _edit_and_compare(seed, steps=80, every=10)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=100, max_value=2**32 - 1))
def test_any_random_edits_then_incremental_equals_full(seed: int) -> None:
    """The same, over seeds hypothesis draws (and shrinks to the shortest failing one)."""
    _edit_and_compare(seed, steps=30, every=30)


def _edit_and_compare(seed: int, *, steps: int, every: int) -> None:
    rng = np.random.default_rng(seed)
    m = make_market(rng, 250, 250)
    table = SkillTable.build(m.skills)
    # Tight caps and short lists: postings compete for seekers, many seekers go unserved and claim,
    # and claims compete for the room under the hard cap.
    params = Params(top_k=4, cap_factor=1.0, pool_size=10, min_score=25.0)
    reach = ReachParams(soft_cap_factor=1.0, claims=2, hard_cap_factor=2.0)
    postings = {p.id: p for p in m.postings}
    seekers = {s.id: s for s in m.seekers}
    world = World(postings, seekers, table, params)
    store = _full(postings, seekers, table, params, reach)
    next_id = 10_000
    for step in range(steps):
        next_id += 1
        kind, key, new = random_edit(rng, m, postings, seekers, next_id)
        if kind == "posting":
            related = _related_seekers(new, seekers, table) if new else list(seekers.values())
            update = update_for_posting_reaching(
                key, new, SeekerIndex.build(related, table), store, world, params, reach=reach
            )
        else:
            update = update_for_seeker_reaching(
                key,
                new,
                PostingIndex.build(postings.values(), table),
                SeekerIndex.build(seekers.values(), table),
                store,
                world,
                params,
                reach=reach,
            )
        store.apply(update)
        if step % every == every - 1:
            full = _full(postings, seekers, table, params, reach)
            assert store.soft == full.soft, f"soft lists differ after step {step}"
            assert store.claims == full.claims, f"claims differ after step {step}"
            assert store.admitted == full.admitted, f"admitted claimants differ after step {step}"
            assert store.recommended == full.recommended, f"recommendations differ after step {step}"
    # The comparison was not vacuous: claims were made and admitted.
    assert len(store.claims) > 10 and sum(len(v) for v in store.admitted.values()) > 10
    assert sum(len(v) for v in store.recommended.values()) > 100
