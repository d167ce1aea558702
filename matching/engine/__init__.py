"""The matching engine: pure functions over frozen dataclasses (no Django, clock, randomness or I/O).

Public API (see README.md for the design):

- inputs: SkillInfo, PostingIn, SeekerIn, Weights, Params; indexes: SkillTable, PostingIndex, SeekerIndex
- one entity: rank_for_posting, rank_for_seeker, kept_for_posting, recommend
- full runs: rank_capacity_aware (the stored ranking), rank_topk and rank_deferred_acceptance (for
  comparison), rank_all (all three from one sweep)
- incremental: update_for_posting, update_for_seeker over a KeptStore, returning an Update; for the
  reach guarantee, update_for_posting_reaching, update_for_seeker_reaching over a ReachStore and a
  ReachWorld, returning a ReachUpdate
- explanations: explain, explain_many; metrics: summarize, gini
"""

from __future__ import annotations

from .explain import explain, explain_many
from .incremental import KeptStore, MemoryStore, Update, update_for_posting, update_for_seeker
from .index import PostingIndex, SeekerIndex
from .metrics import MatchMetrics, gini, summarize
from .ranking import (
    Rankings,
    kept_for_posting,
    rank_all,
    rank_capacity_aware,
    rank_deferred_acceptance,
    rank_for_posting,
    rank_for_seeker,
    rank_topk,
    recommend,
)
from .reach import DEFAULT_REACH, ReachParams, ReachResult, rank_reaching, reach_allocate
from .reach_incremental import (
    ReachMemoryStore,
    ReachStore,
    ReachUpdate,
    ReachWorld,
    update_for_posting_reaching,
    update_for_seeker_reaching,
)
from .results import CapacityResult, PairTable
from .skills import SkillTable
from .types import (
    DEFAULT_PARAMS,
    DEFAULT_WEIGHTS,
    Explanation,
    Factor,
    Params,
    PostingIn,
    ScoredPair,
    SeekerIn,
    SkillInfo,
    Weights,
)

__all__ = [
    "DEFAULT_PARAMS",
    "DEFAULT_REACH",
    "DEFAULT_WEIGHTS",
    "CapacityResult",
    "Explanation",
    "Factor",
    "KeptStore",
    "MatchMetrics",
    "MemoryStore",
    "PairTable",
    "Params",
    "PostingIn",
    "PostingIndex",
    "Rankings",
    "ReachMemoryStore",
    "ReachParams",
    "ReachResult",
    "ReachStore",
    "ReachUpdate",
    "ReachWorld",
    "ScoredPair",
    "SeekerIn",
    "SeekerIndex",
    "SkillInfo",
    "SkillTable",
    "Update",
    "Weights",
    "explain",
    "explain_many",
    "gini",
    "kept_for_posting",
    "rank_all",
    "rank_capacity_aware",
    "rank_deferred_acceptance",
    "rank_for_posting",
    "rank_for_seeker",
    "rank_reaching",
    "rank_topk",
    "reach_allocate",
    "recommend",
    "summarize",
    "update_for_posting",
    "update_for_posting_reaching",
    "update_for_seeker",
    "update_for_seeker_reaching",
]
