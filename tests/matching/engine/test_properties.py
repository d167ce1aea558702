"""Properties over generated seekers and postings (hypothesis)."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    Params,
    PostingIndex,
    SeekerIndex,
    SkillTable,
    explain,
    explain_many,
    kept_for_posting,
    rank_capacity_aware,
    rank_for_seeker,
    rank_topk,
)
from tests.matching.engine.support import (
    SKILL_IDS,
    VOCAB,
    certificates_held,
    haversine_km,
    levels,
    markets_st,
    postings_st,
    seekers_st,
)

TABLE = SkillTable.build(VOCAB)
PARAMS = Params(top_k=3, cap_factor=1.0, pool_size=5, min_score=20.0)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Whole markets are slower per example: fewer examples keep the folder well under a minute.
MARKETS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MARKETS
@given(markets_st())
def test_recommendations_never_break_a_hard_filter(market) -> None:
    postings, seekers = market
    P, S = PostingIndex.build(postings, TABLE), SeekerIndex.build(seekers, TABLE)
    by_id_p = {p.id: p for p in postings}
    by_id_s = {s.id: s for s in seekers}
    capacity = rank_capacity_aware(P, S, PARAMS)
    for table in (rank_topk(P, S, PARAMS), capacity.recommended, capacity.kept):
        for pair in table.pairs():
            p, s = by_id_p[pair.posting_id], by_id_s[pair.seeker_id]
            assert haversine_km(p.lat, p.lng, s.lat, s.lng) <= s.travel_km + 1e-6
            assert certificates_held(p, s)
            assert not s.work_types or p.work_type in s.work_types
            assert not s.available or not p.shifts or p.shifts <= s.available
            assert PARAMS.min_score <= pair.score <= 100.0


@MARKETS
@given(markets_st())
def test_one_entity_functions_agree_with_the_full_run(market) -> None:
    postings, seekers = market
    P, S = PostingIndex.build(postings, TABLE), SeekerIndex.build(seekers, TABLE)
    topk = rank_topk(P, S, PARAMS).by_seeker()
    for s in seekers:
        assert rank_for_seeker(s, P, PARAMS, limit=PARAMS.top_k) == topk.get(s.id, ())
    kept = rank_capacity_aware(P, S, PARAMS).kept.by_posting()
    for p in postings:
        assert kept_for_posting(p, S, PARAMS) == kept.get(p.id, ())
    # Explanations give the very scores the rankings use, and their factors add up.
    for pairs in topk.values():
        explained = explain_many([(x.posting_id, x.seeker_id) for x in pairs], P, S)
        assert [e.score for e in explained] == [x.score for x in pairs]


@FAST
@given(postings_st(1), seekers_st(1), st.sampled_from(SKILL_IDS), levels, st.booleans())
def test_adding_a_skill_never_lowers_the_score(posting, seeker, skill, level, cert) -> None:
    before = explain(posting, seeker, TABLE)
    after = explain(posting, dataclasses.replace(seeker, skills=(*seeker.skills, (skill, level, cert))), TABLE)
    if not before.excluded:
        assert not after.excluded
    assert after.score >= before.score


@FAST
@given(postings_st(1), seekers_st(1), st.floats(0.0, 1.0))
def test_moving_closer_never_lowers_the_score(posting, seeker, t) -> None:
    moved = dataclasses.replace(
        seeker, lat=seeker.lat + t * (posting.lat - seeker.lat), lng=seeker.lng + t * (posting.lng - seeker.lng)
    )
    d_before = haversine_km(posting.lat, posting.lng, seeker.lat, seeker.lng)
    d_after = haversine_km(posting.lat, posting.lng, moved.lat, moved.lng)
    before, after = explain(posting, seeker, TABLE), explain(posting, moved, TABLE)
    if d_after < d_before - 1e-6:
        if not before.excluded:
            assert not after.excluded
        assert after.score >= before.score


@FAST
@given(postings_st(1), seekers_st(1))
def test_factors_add_up_to_the_score(posting, seeker) -> None:
    expl = explain(posting, seeker, TABLE)
    assert abs(sum(f.points for f in expl.factors) - expl.score) <= 1e-9
    assert 0.0 <= expl.score <= 100.0
    if expl.excluded:
        assert expl.score == 0.0 and expl.factors == ()
    else:
        assert [f.name for f in expl.factors] == ["skills", "distance", "wage", "fit", "suitability", "freshness"]


@st.composite
def _world(draw: st.DrawFn) -> tuple[list, list]:  # type: ignore[type-arg]
    """Anywhere on Earth, ranges up to 3,000 km: the windows must stay supersets (poles, antimeridian)."""
    n = draw(st.integers(1, 6))
    lat = st.floats(-89.0, 89.0)
    lng = st.floats(-180.0, 180.0)
    postings = [dataclasses.replace(draw(postings_st(i + 1)), lat=draw(lat), lng=draw(lng)) for i in range(n)]
    seekers = [
        dataclasses.replace(draw(seekers_st(i + 1)), lat=draw(lat), lng=draw(lng), travel_km=draw(st.floats(0, 3000)))
        for i in range(n)
    ]
    return postings, seekers


@MARKETS
@given(_world())
def test_candidate_windows_lose_nothing_anywhere(world) -> None:
    postings, seekers = world
    P, S = PostingIndex.build(postings, TABLE), SeekerIndex.build(seekers, TABLE)
    params = Params(top_k=10, min_score=0.0)
    topk = rank_topk(P, S, params).by_seeker()
    for s in seekers:
        assert rank_for_seeker(s, P, params, limit=10) == topk.get(s.id, ())
