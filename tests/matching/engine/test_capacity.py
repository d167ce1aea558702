"""Capacity-aware ranking spreads recommendations over openings without losing quality."""

from __future__ import annotations

import numpy as np

from matching.engine import Params, PostingIndex, SeekerIndex, SkillTable, rank_all, summarize
from matching.engine.synthetic import make_market


def test_capacity_aware_cuts_the_gini_by_a_third_and_keeps_the_scores() -> None:
    m = make_market(np.random.default_rng(11), 5000, 3500)
    table = SkillTable.build(m.skills)
    P, S = PostingIndex.build(m.postings, table), SeekerIndex.build(m.seekers, table)
    params = Params()
    ranked = rank_all(P, S, params)
    plain = summarize(ranked.topk, P, S)
    capped = summarize(ranked.capacity.recommended, P, S)
    assert plain.gini > 0.4  # the problem exists: a few postings are shown to very many
    assert capped.gini <= plain.gini * (2 / 3)
    assert capped.mean_score >= 0.95 * plain.mean_score
    assert capped.unreached_share <= plain.unreached_share
    assert capped.max_per_opening <= params.cap_factor
    # No posting is shown to more than its cap, and each seeker sees at most top_k.
    counts = np.unique(ranked.capacity.recommended.posting_ids, return_counts=True)[1]
    caps = {p.id: params.cap(p.headcount) for p in m.postings}
    ids = np.unique(ranked.capacity.recommended.posting_ids)
    assert all(c <= caps[int(i)] for i, c in zip(ids, counts, strict=True))
    assert np.unique(ranked.capacity.recommended.seeker_ids, return_counts=True)[1].max() <= params.top_k


def test_deferred_acceptance_respects_caps_and_lists() -> None:
    m = make_market(np.random.default_rng(5), 1500, 1200)
    table = SkillTable.build(m.skills)
    P, S = PostingIndex.build(m.postings, table), SeekerIndex.build(m.seekers, table)
    params = Params(top_k=5, cap_factor=2.0, pool_size=15)
    ranked = rank_all(P, S, params)
    da = ranked.deferred
    caps = {p.id: params.cap(p.headcount) for p in m.postings}
    ids, counts = np.unique(da.posting_ids, return_counts=True)
    assert all(c <= caps[int(i)] for i, c in zip(ids, counts, strict=True))
    pools = {s: {p.posting_id for p in v} for s, v in ranked.topk.by_seeker().items()}
    assert len(da) > 0 and pools  # non-vacuous
    assert np.unique(da.seeker_ids, return_counts=True)[1].max() <= params.top_k


def test_kept_pass_alone_equals_the_first_pass_of_the_full_ranking_chunk_by_chunk() -> None:
    """The nightly rematch ranks postings in chunks with `rank_kept`: the union of the chunks' kept
    pairs is exactly the kept relation of one capacity-aware pass over all postings."""
    from matching.engine.ranking import rank_capacity_aware, rank_kept

    m = make_market(np.random.default_rng(21), 1200, 900)
    table = SkillTable.build(m.skills)
    S = SeekerIndex.build(m.seekers, table)
    whole = rank_capacity_aware(PostingIndex.build(m.postings, table), S).kept
    chunks = [PostingIndex.build(m.postings[i : i + 250], table) for i in range(0, len(m.postings), 250)]
    parts = [rank_kept(P, S) for P in chunks]
    union = sorted((p.posting_id, p.seeker_id, p.score) for part in parts for p in part.pairs())
    assert len(union) > 1000
    assert union == sorted((p.posting_id, p.seeker_id, p.score) for p in whole.pairs())
