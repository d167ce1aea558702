"""The reach guarantee stays incremental: random edits applied one by one leave what a full run would."""

from __future__ import annotations

import dataclasses
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
from matching.engine.synthetic import make_market, make_postings, make_seekers
from matching.engine.types import PostingIn, ScoredPair, SeekerIn
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
        op = int(rng.integers(7))
        fresh_p = make_postings(rng, 1, m.skills, m.certified_skills, start_id=next_id)[0]
        fresh_s = make_seekers(rng, 1, m.skills, m.certified_skills, start_id=next_id)[0]
        if op <= 2:
            if op == 0:  # a new posting
                pid, new_p = next_id, fresh_p
            elif op == 1:  # an edit: new content, another headcount, or a small move or wage change
                pid = int(rng.choice(list(postings)))
                old, roll = postings[pid], rng.random()
                if roll < 0.4:
                    new_p = dataclasses.replace(fresh_p, id=pid)
                elif roll < 0.6:
                    new_p = dataclasses.replace(old, headcount=int(rng.integers(1, 4)))
                else:  # the same job a little further or nearer, or paying a little more or less:
                    # the same seekers, new scores (a claimed posting may fall behind another)
                    new_p = dataclasses.replace(
                        old,
                        lat=old.lat + float(rng.normal(0, 0.01)),
                        wage_max=max(old.wage_min, old.wage_max * float(rng.uniform(0.8, 1.2))),
                    )
            else:  # closed
                pid = int(rng.choice(list(postings)))
                new_p = None
            if new_p is None:
                postings.pop(pid)
            else:
                postings[pid] = new_p
            related = _related_seekers(new_p, seekers, table) if new_p else list(seekers.values())
            update = update_for_posting_reaching(
                pid, new_p, SeekerIndex.build(related, table), store, world, params, reach=reach
            )
        else:
            if op == 3:
                sid, new_s = next_id, fresh_s
            elif op in (4, 5):  # moved, new skills, new range...
                sid = int(rng.choice(list(seekers)))
                new_s = (
                    dataclasses.replace(fresh_s, id=sid)
                    if op == 4
                    else dataclasses.replace(seekers[sid], travel_km=float(rng.choice([3.0, 8.0, 20.0])))
                )
            else:  # withdrawn
                sid = int(rng.choice(list(seekers)))
                new_s = None
            if new_s is None:
                seekers.pop(sid)
            else:
                seekers[sid] = new_s
            update = update_for_seeker_reaching(
                sid,
                new_s,
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
