"""Incremental equals full: random edits applied one by one leave what a full run would store."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import (
    MemoryStore,
    Params,
    PostingIndex,
    SeekerIndex,
    SkillTable,
    rank_capacity_aware,
    update_for_posting,
    update_for_seeker,
)
from matching.engine.synthetic import make_market
from matching.engine.types import PostingIn, SeekerIn
from tests.matching.engine.edits import random_edit


def _related_seekers(posting: PostingIn, seekers: dict[int, SeekerIn], table: SkillTable) -> list[SeekerIn]:
    """Only the seekers sharing a skill group or category with the posting (what the glue loads)."""
    info = table.info
    wanted = [k for k, _ in posting.required_skills] + list(posting.optional_skills)
    keys = {("g", info[k].group) for k in wanted} | {("c", info[k].category) for k in wanted}
    return [
        s for s in seekers.values() if any({("g", info[k].group), ("c", info[k].category)} & keys for k, *_ in s.skills)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_then_incremental_equals_full(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = make_market(rng, 250, 250)
    table = SkillTable.build(m.skills)
    # A tight cap and short lists so that postings compete for seekers and seekers for slots.
    params = Params(top_k=4, cap_factor=1.5, pool_size=10, min_score=25.0)
    postings = {p.id: p for p in m.postings}
    seekers = {s.id: s for s in m.seekers}
    store = MemoryStore.from_result(
        rank_capacity_aware(
            PostingIndex.build(postings.values(), table), SeekerIndex.build(seekers.values(), table), params
        )
    )
    next_id = 10_000
    for step in range(45):
        next_id += 1
        kind, key, new = random_edit(rng, m, postings, seekers, next_id)
        if kind == "posting":
            # Like the glue: only the seekers who could be eligible at all.
            related = _related_seekers(new, seekers, table) if new else list(seekers.values())
            update = update_for_posting(key, new, SeekerIndex.build(related, table), store, params)
        else:
            update = update_for_seeker(
                key,
                new,
                PostingIndex.build(postings.values(), table),
                SeekerIndex.build(seekers.values(), table),
                store,
                params,
            )
        store.apply(update)
        if step % 15 == 14:
            full = MemoryStore.from_result(
                rank_capacity_aware(
                    PostingIndex.build(postings.values(), table), SeekerIndex.build(seekers.values(), table), params
                )
            )
            assert store.kept == full.kept, f"kept lists differ after step {step}"
            assert store.recommended == full.recommended, f"recommendations differ after step {step}"
    assert sum(len(v) for v in store.recommended.values()) > 100  # the comparison was not vacuous
