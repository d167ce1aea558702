"""The full run's candidate generation loses nothing: it equals brute force over every pair."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching.engine import (
    Params,
    PostingIndex,
    SeekerIndex,
    SkillTable,
    Weights,
    explain_many,
    kept_for_posting,
    rank_all,
    rank_for_seeker,
)
from matching.engine.synthetic import make_market
from matching.engine.types import PostingIn, SeekerIn, SkillInfo
from tests.matching.engine.support import haversine_km


@pytest.fixture(scope="module")
def market():
    m = make_market(np.random.default_rng(7), 2000, 2000)
    table = SkillTable.build(m.skills)
    return m, PostingIndex.build(m.postings, table), SeekerIndex.build(m.seekers, table)


def test_full_run_equals_brute_force_top20_and_kept_lists(market) -> None:
    m, P, S = market
    params = Params()
    ranked = rank_all(P, S, params)
    topk = ranked.topk.by_seeker()
    assert sum(len(v) for v in topk.values()) > 10_000  # a meaningful sample
    # Brute force: each seeker against every posting, no grid, no windows, no category blocks.
    for s in m.seekers:
        assert rank_for_seeker(s, P, params, limit=params.top_k) == topk.get(s.id, ())
    kept = ranked.capacity.kept.by_posting()
    for p in m.postings[:500]:
        assert kept_for_posting(p, S, params) == kept.get(p.id, ())


def _reference_score(p: PostingIn, s: SeekerIn, info: dict[int, SkillInfo], w: Weights) -> float | None:
    """The scoring rules re-derived from the brief in plain Python (None: excluded)."""
    d = haversine_km(p.lat, p.lng, s.lat, s.lng)
    if d > s.travel_km or (s.work_types and p.work_type not in s.work_types):
        return None
    if s.available and p.shifts and not p.shifts <= s.available:
        return None
    held = {info[k].group for k, _lv, cert in s.skills if cert}
    if any(info[c].group not in held for c in p.certificates):
        return None

    def credit(k: int, want: int) -> float:
        best = 0.0
        for other, level, _cert in s.skills:
            kind = 1.0 if other == k else 0.85 if info[other].group == info[k].group else 0.0
            kind = kind or (0.3 if info[other].category == info[k].category else 0.0)
            best = max(best, kind * max(0.4, 1 - 0.15 * max(0, want - level)))
        return best

    req = [credit(k, lv) for k, lv in p.required_skills]
    opt = [credit(k, 1) for k in p.optional_skills]
    if not any(req + opt):
        return None
    skills = w.skills * (sum(req) + w.optional_weight * sum(opt)) / (len(req) + w.optional_weight * len(opt))
    d0 = min(w.full_credit_km, s.travel_km)
    distance = w.distance * (1.0 if s.travel_km <= d0 else min(1.0, max(0.0, (s.travel_km - d) / (s.travel_km - d0))))
    factor = {"hour": 8 * 21.75, "day": 21.75, "month": 1.0}
    if p.wage_unit in factor and s.expected_unit in factor and s.expected_wage:
        ratio = p.wage_max * factor[p.wage_unit] / (s.expected_wage * factor[s.expected_unit])
        wage = w.wage * min(1.0, max(0.0, (ratio - 0.7) / 0.3))
    else:
        wage = w.wage * 0.5
    fit = w.fit * (0.5 * (1.0 if s.work_types else 0.5) + 0.5 * (1.0 if (not p.shifts or s.available) else 0.5))
    welcome = {"older": "older_ok", "disabled": "disability_ok", "mother": "mother_flexible"}
    suit = w.suitability if any(welcome.get(t) in p.flags for t in s.tags) else 0.0
    fresh = w.freshness * 14.0 / (14.0 + p.age_days)
    return skills + distance + wage + fit + suit + fresh


def test_scores_match_an_independent_reference(market) -> None:
    m, P, S = market
    info = {s.id: s for s in m.skills}
    rng = np.random.default_rng(3)
    pairs = [(int(rng.integers(1, 2001)), int(rng.integers(1, 2001))) for _ in range(3000)]
    # Add pairs likely to be eligible: nearby seekers for some postings.
    pairs += [(p.posting_id, p.seeker_id) for p in rank_for_seeker(m.seekers[0], P, limit=50)]
    checked = 0
    for (pid, sid), expl in zip(pairs, explain_many(pairs, P, S), strict=True):
        p, s = P.get(pid), S.get(sid)
        assert p is not None and s is not None
        ref = _reference_score(p, s, info, Weights())
        d = haversine_km(p.lat, p.lng, s.lat, s.lng)
        if abs(d - s.travel_km) < 1e-6:
            continue  # on the boundary, rounding may go either way
        if ref is None:
            assert expl.excluded, (pid, sid)
        else:
            # Points are rounded to 1e-4 each; distance decays linearly in chord rather than arc.
            assert not expl.excluded and math.isclose(expl.score, ref, abs_tol=2e-3), (pid, sid, expl.score, ref)
            checked += 1
    assert checked > 50
