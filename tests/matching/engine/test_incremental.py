"""Incremental equals full: random edits applied one by one leave what a full run would store."""

from __future__ import annotations

import dataclasses

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
from matching.engine.synthetic import make_market, make_postings, make_seekers
from matching.engine.types import PostingIn, SeekerIn


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
        op = int(rng.integers(7))
        fresh_p = make_postings(rng, 1, m.skills, m.certified_skills, start_id=next_id)[0]
        fresh_s = make_seekers(rng, 1, m.skills, m.certified_skills, start_id=next_id)[0]
        if op <= 2:
            if op == 0:  # a new posting
                pid, new_p = next_id, fresh_p
            elif op == 1:  # an edit: new content under an existing id, or just another headcount
                pid = int(rng.choice(list(postings)))
                new_p = (
                    dataclasses.replace(fresh_p, id=pid)
                    if rng.random() < 0.7
                    else dataclasses.replace(postings[pid], headcount=int(rng.integers(1, 6)))
                )
            else:  # closed
                pid = int(rng.choice(list(postings)))
                new_p = None
            if new_p is None:
                postings.pop(pid)
            else:
                postings[pid] = new_p
            # Like the glue: only the seekers who could be eligible at all.
            related = _related_seekers(new_p, seekers, table) if new_p else list(seekers.values())
            update = update_for_posting(pid, new_p, SeekerIndex.build(related, table), store, params)
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
            update = update_for_seeker(
                sid,
                new_s,
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
