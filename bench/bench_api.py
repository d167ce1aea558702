"""Benchmark of the public jobs API against the trivial view and the HTML job list (issue 15).

Usage (PostgreSQL with the full demo data, see bench/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiangtan_bench \
        .venv/bin/python bench/bench_api.py --rounds 5 --seconds 5

The same server and method as `bench/bench_pages.py` (gunicorn with sync workers, DEBUG off,
persistent connections; wrk walking a file of URLs, views alternated round by round so drift
cancels; then single-connection p50/p95): the trivial view (/healthz/), the HTML job list's page 1
and its filtered pages, and the API's page 1, filtered pages (the same district × skill × work
type combinations: the API and the page share one filter) and keyword queries. Prints a Markdown
table with each view's ratio to the trivial view and the API's to the HTML list.
"""

from __future__ import annotations

import argparse
import os
import statistics

from bench_pages import measure, setup_django, url_sets


def api_sets(n: int) -> dict[str, list[str]]:
    """The measured URL lists: the HTML pages' own sets, and the same queries on /api/v1/jobs/."""
    html = url_sets(n, seed=1)

    def api(urls: list[str]) -> list[str]:
        return [u.replace("/jobs/", "/api/v1/jobs/", 1) for u in urls]

    return {
        "trivial": html["trivial"],
        "html page1": html["page1"],
        "html filtered": html["list_filtered"],
        "html keyword": html["keyword"],
        "api page1": api(html["page1"]),
        "api filtered": api(html["list_filtered"]),
        "api keyword": api(html["keyword"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--urls", type=int, default=400)
    parser.add_argument("--latency-requests", type=int, default=300)
    args = parser.parse_args()

    setup_django()
    sets = api_sets(args.urls)
    # The API throttles anonymous clients per address (60/minute); wrk is one address asking
    # hundreds of times a second, so the bench raises that rate. The throttle still runs (its
    # cache look-up and count per request are part of the measured path).
    rps, lat = measure(sets, args, {"API_THROTTLE_ADDRESS": os.environ.get("API_THROTTLE_ADDRESS", "100000000/minute")})

    med = {k: statistics.median(v) for k, v in rps.items()}
    print(
        f"\n{args.rounds} rounds × {args.seconds} s per view, {args.workers} sync workers, "
        f"wrk -t1 -c{args.connections}\n"
    )
    print("| view | req/s (median) | ÷ trivial | p50 ms (1 conn) | p95 ms (1 conn) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in sets:
        print(
            f"| {name} | {med[name]:.1f} | {med[name] / med['trivial']:.3f} | {lat[name][0]:.1f} | {lat[name][1]:.1f} |"
        )
    print(f"\napi page1 ÷ html page1 = {med['api page1'] / med['html page1']:.2f}")
    print(f"api filtered ÷ html filtered = {med['api filtered'] / med['html filtered']:.2f}")
    print(f"api keyword ÷ html keyword = {med['api keyword'] / med['html keyword']:.2f}")
    print("rounds:", {k: [round(x) for x in v] for k, v in rps.items()})


if __name__ == "__main__":
    main()
