"""The reach guarantee (issue 18): properties over generated markets (hypothesis)."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings

from matching.engine import (
    Params,
    PostingIndex,
    ReachParams,
    SeekerIndex,
    SkillTable,
    rank_capacity_aware,
    rank_for_seeker,
    rank_reaching,
)
from tests.matching.engine.support import VOCAB, markets_st, posting, seeker

TABLE = SkillTable.build(VOCAB)
PARAMS = Params(top_k=3, cap_factor=1.0, pool_size=5, min_score=20.0)
# Tight caps, so that small markets hit them: soft 1 × headcount, hard 2 × headcount, 2 claims.
REACH = ReachParams(soft_cap_factor=1.0, claims=2, hard_cap_factor=2.0)
MARKETS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pairs(table) -> set[tuple[int, int]]:
    return {(p.posting_id, p.seeker_id) for p in table.pairs()}


@MARKETS
@given(markets_st())
def test_caps_hold_and_the_soft_lists_are_the_capacity_rule(market) -> None:
    postings, seekers = market
    P, S = PostingIndex.build(postings, TABLE), SeekerIndex.build(seekers, TABLE)
    result = rank_reaching(P, S, PARAMS, reach=REACH)
    kept, claimed = _pairs(result.kept), _pairs(result.claimed)
    soft = kept - claimed
    # The soft lists are exactly the capacity rule's kept lists with the soft cap.
    capacity = rank_capacity_aware(P, S, Params(top_k=3, cap_factor=REACH.soft_cap_factor, min_score=20.0))
    assert soft == _pairs(capacity.kept)
    per_posting = Counter(p for p, _s in kept)
    soft_per_posting = Counter(p for p, _s in soft)
    for p in postings:
        assert per_posting[p.id] <= REACH.hard_cap(p.headcount)
        assert soft_per_posting[p.id] <= REACH.soft_cap(p.headcount)
    # Only seekers kept by no soft list claim, and only their best suitable postings.
    soft_seekers = {s for _p, s in soft}
    for p_id, s_id in claimed:
        assert s_id not in soft_seekers
        claimant = next(s for s in seekers if s.id == s_id)
        best = [x.posting_id for x in rank_for_seeker(claimant, P, PARAMS, limit=REACH.claims)]
        assert p_id in best


@MARKETS
@given(markets_st())
def test_no_seeker_with_a_suitable_posting_is_left_out_unless_its_claims_are_full(market) -> None:
    postings, seekers = market
    P, S = PostingIndex.build(postings, TABLE), SeekerIndex.build(seekers, TABLE)
    result = rank_reaching(P, S, PARAMS, reach=REACH)
    shown = result.recommended.by_seeker()
    kept_count = Counter(p.posting_id for p in result.kept.pairs())
    headcount = {p.id: p.headcount for p in postings}
    for person in seekers:
        best = rank_for_seeker(person, P, PARAMS, limit=REACH.claims)
        if not best:
            assert person.id not in shown  # nothing suitable: nothing shown
            continue
        if person.id not in shown:
            assert all(kept_count[x.posting_id] == REACH.hard_cap(headcount[x.posting_id]) for x in best)


@MARKETS
@given(markets_st())
def test_each_seeker_sees_the_best_of_what_keeps_them(market) -> None:
    postings, seekers = market
    P, S = PostingIndex.build(postings, TABLE), SeekerIndex.build(seekers, TABLE)
    result = rank_reaching(P, S, PARAMS, reach=REACH)
    kept = result.kept.by_seeker()
    for s_id, shown in result.recommended.by_seeker().items():
        ranked = sorted(kept[s_id], key=lambda x: (-x.score, x.posting_id))
        assert list(shown) == ranked[: PARAMS.top_k]


def test_the_guarantee_reaches_a_seeker_the_capacity_rule_leaves_out() -> None:
    # One cleaner's job for one person: the capacity rule keeps the nearer seeker only.
    job = posting(1, required=((20, 1),), headcount=1)
    near, far = seeker(1, skills=((20, 1, False),)), seeker(2, skills=((20, 1, False),), lat=27.87)
    P, S = PostingIndex.build([job], TABLE), SeekerIndex.build([near, far], TABLE)
    capacity = rank_capacity_aware(P, S, Params(top_k=3, cap_factor=1.0, min_score=20.0))
    assert set(capacity.recommended.by_seeker()) == {1}
    reaching = rank_reaching(P, S, PARAMS, reach=REACH).recommended.by_seeker()
    assert set(reaching) == {1, 2}


def test_a_full_posting_takes_its_best_claimants_up_to_the_hard_cap() -> None:
    # One job for one person (soft cap 1, hard cap 2) and four cleaners at growing distances.
    job = posting(1, required=((20, 1),), headcount=1)
    people = [seeker(i, skills=((20, 1, False),), lat=27.86 + 0.01 * i) for i in range(1, 5)]
    P, S = PostingIndex.build([job], TABLE), SeekerIndex.build(people, TABLE)
    result = rank_reaching(P, S, PARAMS, reach=REACH)
    assert _pairs(result.kept) == {(1, 1), (1, 2)}  # the best on merit, then the best claimant
    assert _pairs(result.claimed) == {(1, 2)}
    assert set(result.recommended.by_seeker()) == {1, 2}  # 3 and 4: their only posting is full
