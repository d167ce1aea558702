"""Benchmark of the matching engine at city scale: 50,000 postings × 35,000 seekers on one core.

Run from the project root: `.venv/bin/python bench/bench_engine.py [--postings N] [--seekers N] [--seed S]`.
Prints the full-run time and peak memory, one-posting and one-seeker latencies, incremental
update latencies, and the spread of recommendations for plain top-K, the capacity-aware rule and
deferred acceptance.
"""

from __future__ import annotations

import os

# One core: BLAS threads would spin beside the single-threaded numpy work (set before numpy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.engine import (  # noqa: E402
    MemoryStore,
    Params,
    PostingIndex,
    SeekerIndex,
    SkillTable,
    rank_all,
    rank_capacity_aware,
    rank_for_posting,
    rank_for_seeker,
    summarize,
    update_for_posting,
    update_for_seeker,
)
from matching.engine.synthetic import make_market  # noqa: E402


def _timed(label: str, fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    print(f"{label:<46} {time.perf_counter() - wall:7.2f} s wall {time.process_time() - cpu:7.2f} s cpu")
    return out


def _latency(label: str, calls: list) -> None:
    times = []
    for call in calls:
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    ms = np.array(times) * 1e3
    print(f"{label:<46} p50 {np.percentile(ms, 50):6.2f} ms  p95 {np.percentile(ms, 95):6.2f} ms  (n={len(ms)})")


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postings", type=int, default=50_000)
    parser.add_argument("--seekers", type=int, default=35_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    params = Params()
    print(f"Synthetic Xiangtan: {args.postings:,} postings × {args.seekers:,} seekers, seed {args.seed}, {params}")

    market = _timed(
        "generate synthetic data (not the engine)",
        make_market,
        np.random.default_rng(args.seed),
        args.postings,
        args.seekers,
    )
    table = SkillTable.build(market.skills)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    P = _timed("build PostingIndex", PostingIndex.build, market.postings, table)
    S = _timed("build SeekerIndex", SeekerIndex.build, market.seekers, table)

    capacity = _timed("FULL RUN rank_capacity_aware (stored ranking)", rank_capacity_aware, P, S, params)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'process peak RSS (data + indexes + run)':<46} {rss_after:7.0f} MiB (before the run {rss_before:.0f} MiB)")
    tracemalloc.start()
    rank_capacity_aware(P, S, params)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'peak allocations of the full run (tracemalloc)':<46} {traced_peak / 2**20:7.0f} MiB")
    ranked = _timed("rank_all: top-K + capacity + DA, one sweep", rank_all, P, S, params)
    print(f"  sweep: {ranked.stats}")
    assert np.array_equal(ranked.capacity.kept.units, capacity.kept.units)

    rng = np.random.default_rng(1)
    sample_p = [market.postings[int(i)] for i in rng.choice(len(market.postings), 500, replace=False)]
    sample_s = [market.seekers[int(i)] for i in rng.choice(len(market.seekers), 500, replace=False)]
    _latency(
        "one posting vs all seekers (rank_for_posting)", [lambda p=p: rank_for_posting(p, S, params) for p in sample_p]
    )
    _latency(
        "one seeker vs all postings (rank_for_seeker)", [lambda s=s: rank_for_seeker(s, P, params) for s in sample_s]
    )
    store = _timed("load the full run into a MemoryStore", MemoryStore.from_result, capacity)
    _latency(
        "update_for_posting (posting re-published)",
        [lambda p=p: update_for_posting(p.id, p, S, store, params) for p in sample_p[:200]],
    )
    _latency(
        "update_for_seeker (seeker re-registered)",
        [lambda s=s: update_for_seeker(s.id, s, P, S, store, params) for s in sample_s[:100]],
    )

    print()
    head = f"{'ranking':<22}{'recs':>9}{'gini':>8}{'unreached':>11}"
    print(head + f"{'mean score':>12}{'kept':>8}{'seekers reached':>17}{'max/opening':>13}")
    base = summarize(ranked.topk, P, S)
    for name, table_ in (
        ("plain top-K", ranked.topk),
        ("capacity-aware", ranked.capacity.recommended),
        ("deferred acceptance", ranked.deferred),
    ):
        m = summarize(table_, P, S)
        print(
            f"{name:<22}{m.recommendations:>9,}{m.gini:>8.3f}{m.unreached_share:>10.1%} {m.mean_score:>11.2f}"
            f"{m.mean_score / base.mean_score:>8.1%}{m.seekers_reached_share:>16.1%} {m.max_per_opening:>12.1f}"
        )
    cap = summarize(ranked.capacity.recommended, P, S)
    cut, kept = 1 - cap.gini / base.gini, cap.mean_score / base.mean_score
    print(f"\ncapacity-aware vs top-K: Gini cut {cut:.0%}, mean score kept {kept:.1%}")


if __name__ == "__main__":
    main()
