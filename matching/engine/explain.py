"""Per-factor explanations of scores, computed by the same vectorised code as the rankings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .index import PostingIndex, SeekerIndex, to_month
from .scoring import (
    FACTOR_NAMES,
    SCORE_SCALE,
    Idx,
    chord_sq,
    distance_km,
    factor_units,
    hard_filters,
    posting_terms,
    seeker_terms,
)
from .skills import CREDIT_SCALE, SkillTable
from .types import DEFAULT_WEIGHTS, FLAG_FOR_TAG, Explanation, Factor, PostingIn, SeekerIn, SkillInfo, Weights

_FILTERS = ("distance", "certificate", "work_type", "shifts", "skills")


def _skills_detail(table: SkillTable, posting: PostingIn, seeker: SeekerIn) -> dict[str, object]:
    def slot(skill_id: int, min_level: int, with_level: bool) -> dict[str, object]:
        m = table.slot_match(skill_id, min_level if with_level else 1, seeker.skills)
        out: dict[str, object] = {
            "skill": skill_id,
            "matched": m.matched_skill_id,
            "how": m.how,
            "level": m.level,
            "credit": m.credit / CREDIT_SCALE,
        }
        if with_level:
            out["min_level"] = m.min_level
        return out

    return {
        "required": [slot(k, lv, True) for k, lv in posting.required_skills],
        "optional": [slot(k, 1, False) for k in posting.optional_skills],
        "certificates": [{"skill": c, "held": table.certificate_met(c, seeker.skills)} for c in posting.certificates],
    }


def _wage_detail(posting: PostingIn, seeker: SeekerIn) -> dict[str, object]:
    offered = to_month(posting.wage_max, posting.wage_unit)
    expected = to_month(seeker.expected_wage, seeker.expected_unit)
    comparable = bool(np.isfinite(offered) and np.isfinite(expected))
    in_posting_unit = None
    if comparable:
        # The expectation restated in the posting's unit, so a page can say 「日薪 200 ≥ 期望 180」.
        in_posting_unit = round(expected / to_month(1.0, posting.wage_unit), 2)
    return {
        "posting_min": posting.wage_min,
        "posting_max": posting.wage_max,
        "posting_unit": posting.wage_unit,
        "expected": seeker.expected_wage,
        "expected_unit": seeker.expected_unit,
        "expected_in_posting_unit": in_posting_unit,
        "comparable": comparable,
    }


def explain_many(
    pairs: Iterable[tuple[int, int]],
    postings: PostingIndex,
    seekers: SeekerIndex,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Explanation]:
    """Explanations of (posting id, seeker id) pairs of these indexes, in the given order."""
    pair_list = list(pairs)
    p_at = [postings.position(p) for p, _ in pair_list]
    s_at = [seekers.position(s) for _, s in pair_list]
    if any(i is None for i in (*p_at, *s_at)):
        raise KeyError("every pair must be in the indexes")
    pi = np.array(p_at, dtype=np.intp)
    si = np.array(s_at, dtype=np.intp)
    return _explain(pi, si, postings, seekers, weights)


def explain(
    posting: PostingIn, seeker: SeekerIn, skills: SkillTable | Sequence[SkillInfo], weights: Weights = DEFAULT_WEIGHTS
) -> Explanation:
    """Why this posting scores what it does for this seeker (or which hard filters exclude it)."""
    table = skills if isinstance(skills, SkillTable) else SkillTable.build(skills)
    one_posting = PostingIndex.build([posting], table)
    one_seeker = SeekerIndex.build([seeker], table)
    zero = np.zeros(1, dtype=np.intp)
    return _explain(zero, zero, one_posting, one_seeker, weights)[0]


def _explain(pi: Idx, si: Idx, postings: PostingIndex, seekers: SeekerIndex, w: Weights) -> list[Explanation]:
    if len(pi) == 0:
        return []
    # Row-wise dot products of the two feature matrices: the same packed sums as the rankings'.
    raw = np.asarray(postings.features[pi].multiply(seekers.features[si]).sum(axis=1), dtype=np.float64).ravel()
    pt = posting_terms(postings, pi, w)
    st = seeker_terms(seekers, si, w)
    local = np.arange(len(pi))
    c2 = chord_sq(pt, st, local, local)
    filters = hard_filters(pt, st, local, local, raw, c2)
    units = factor_units(pt, st, local, local, raw, c2, w)
    km = distance_km(c2)
    out: list[Explanation] = []
    table = postings.skills
    for i in range(len(pi)):
        posting = postings.postings[int(pi[i])]
        seeker = seekers.seekers[int(si[i])]
        failed = tuple(name for name in _FILTERS if not bool(getattr(filters, name)[i]))
        if failed:
            out.append(Explanation(posting.id, seeker.id, 0.0, (), failed))
            continue
        details: dict[str, dict[str, object]] = {
            "skills": _skills_detail(table, posting, seeker),
            "distance": {
                "km": round(float(km[i]), 1),
                "travel_km": seeker.travel_km,
                "full_credit_km": w.full_credit_km,
            },
            "wage": _wage_detail(posting, seeker),
            "fit": {
                "work_type": posting.work_type,
                "work_type_named": bool(seeker.work_types),
                "shifts": sorted(posting.shifts),
                "hours_confirmed": not posting.shifts or bool(seeker.available),
            },
            "suitability": {"flags": sorted(f for f in posting.flags if f in _welcomed(seeker))},
            "freshness": {"age_days": posting.age_days},
        }
        factor_units_i = [int(u[i]) for u in units]
        factors = tuple(
            Factor(name, n / SCORE_SCALE, details[name]) for name, n in zip(FACTOR_NAMES, factor_units_i, strict=True)
        )
        out.append(Explanation(posting.id, seeker.id, sum(factor_units_i) / SCORE_SCALE, factors))
    return out


def _welcomed(seeker: SeekerIn) -> set[str]:
    return {FLAG_FOR_TAG[t] for t in seeker.tags if t in FLAG_FOR_TAG}
