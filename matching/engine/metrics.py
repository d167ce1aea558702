"""How evenly recommendations spread over openings, and how good they are."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import Floats, PostingIndex, SeekerIndex
from .results import PairTable


def gini(values: Floats) -> float:
    """Gini coefficient of non-negative values: 0 = all equal, towards 1 = all on one."""
    v = np.sort(np.asarray(values, dtype=np.float64))
    n = len(v)
    total = float(v.sum())
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ v / (n * total))


def recommendations_per_opening(table: PairTable, postings: PostingIndex) -> Floats:
    """Per indexed posting (index order): recommendations it receives ÷ its headcount."""
    at = np.searchsorted(postings.ids, table.posting_ids)
    counts = np.bincount(at, minlength=len(postings)).astype(np.float64)
    out: Floats = counts / postings.caps_headcount
    return out


@dataclass(frozen=True, slots=True)
class MatchMetrics:
    """Summary of one ranking."""

    recommendations: int
    gini: float  # of recommendations per opening, over all postings
    unreached_share: float  # postings recommended to nobody
    mean_score: float  # over all recommendations
    seekers_reached_share: float  # seekers with at least one recommendation
    max_per_opening: float


def summarize(table: PairTable, postings: PostingIndex, seekers: SeekerIndex) -> MatchMetrics:
    """The metrics of a ranking's recommendations."""
    per_opening = recommendations_per_opening(table, postings)
    reached = len(np.unique(table.seeker_ids))
    return MatchMetrics(
        recommendations=len(table),
        gini=gini(per_opening),
        unreached_share=float(np.mean(per_opening == 0)) if len(per_opening) else 0.0,
        mean_score=float(table.scores.mean()) if len(table) else 0.0,
        seekers_reached_share=reached / len(seekers) if len(seekers) else 0.0,
        max_per_opening=float(per_opening.max()) if len(per_opening) else 0.0,
    )
