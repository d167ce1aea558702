"""The spread metrics."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import PostingIndex, SeekerIndex, SkillTable, gini, summarize
from matching.engine.results import PairTable
from tests.matching.engine.support import VOCAB, posting, seeker


def test_gini_of_equal_and_concentrated_values() -> None:
    assert gini(np.array([3.0, 3.0, 3.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 10.0])) == pytest.approx(0.75)
    assert gini(np.array([])) == 0.0


def test_summary_counts_per_opening_and_unreached_postings() -> None:
    table = SkillTable.build(VOCAB)
    P = PostingIndex.build([posting(1, headcount=2), posting(2, headcount=1)], table)
    S = SeekerIndex.build([seeker(1), seeker(2), seeker(3)], table)
    recs = PairTable.of(np.array([1, 1]), np.array([1, 2]), np.array([600_000, 800_000]))
    summary = summarize(recs, P, S)
    assert summary.unreached_share == 0.5
    assert summary.mean_score == pytest.approx(70.0)
    assert summary.max_per_opening == 1.0
    assert summary.seekers_reached_share == pytest.approx(2 / 3)
