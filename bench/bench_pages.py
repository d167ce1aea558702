"""Benchmark of the public job pages under gunicorn + wrk (issue 3, "Speed").

Usage (PostgreSQL with the full demo data, see bench/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiangtan_bench \
        .venv/bin/python bench/bench_pages.py --rounds 5 --seconds 5

It starts gunicorn (sync workers, persistent connections, DEBUG off), then alternates, round by
round, one wrk run per view so that drift cancels: the trivial view (/healthz/, a tiny template
through the full middleware stack), the filtered list (rotating district × skill × work-type
combinations), a keyword query (rotating two- to four-character words) and page 1 vs a page deep
in the list (keyset cursor ~40,000 rows down). wrk reads a file of URLs and walks it request by
request (Lua), so no cache of a single URL can produce the figure. Then single-connection p50/p95
per view with http.client. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "保洁",
    "司机",
    "护工",
    "电工",
    "搬运",
    "服务员",
    "家政",
    "保安",
    "厨师",
    "快递",
    "育婴",
    "焊工",
    "装修",
    "叉车",
    "收银",
    "月嫂",
    "钟点工",
    "普工",
    "仓管",
    "水电工",
    "养老护理",
    "外卖骑手",
    "油漆工",
    "木工",
]
LUA = """
local urls = {}
for line in io.lines("%s") do urls[#urls + 1] = line end
local i = 0
request = function()
  i = i %% #urls + 1
  return wrk.format("GET", urls[i])
end
"""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangtan_jobs.settings.base")
    import django

    django.setup()


def url_sets(n: int, seed: int) -> dict[str, list[str]]:
    """URL lists of each measured view, built from the data (so filters hit real rows)."""
    from xiangtan_jobs.core.models import Area, JobPosting, Skill
    from xiangtan_jobs.core.selectors import cursor_encode

    rng = random.Random(seed)
    districts = list(Area.objects.filter(parent__isnull=True).values_list("id", flat=True))
    skills = list(Skill.objects.filter(is_gig=True).values_list("id", flat=True))
    combos = []
    for _ in range(n):
        params: dict[str, object] = {"district": rng.choice(districts)}
        roll = rng.random()
        if roll < 0.5:
            params["skill"] = rng.choice(skills)
        if roll > 0.3:
            params["work_type"] = rng.choice(["day", "part", "full"])
        combos.append("/jobs/?" + urlencode(params))
    keywords = ["/jobs/?" + urlencode({"q": rng.choice(WORDS)}) for _ in range(n)]
    public = JobPosting.objects.public().order_by("-published_at", "-id")
    total = public.count()
    deep = []
    for _ in range(n):
        row = public.values("published_at", "id")[rng.randint(int(total * 0.8), total - 25)]
        published = row["published_at"]
        assert published is not None  # public postings are published
        deep.append("/jobs/?" + urlencode({"cursor": cursor_encode([published.isoformat(), row["id"]])}))
    return {
        "trivial": ["/healthz/"],
        "list_filtered": combos,
        "keyword": keywords,
        # The same words newest first: what the relevance order (最相关, a keyword's default) costs.
        "keyword_new": [url + "&sort=new" for url in keywords],
        "page1": ["/jobs/"],
        "deep": deep,
    }


def wrk(port: int, urls: list[str], seconds: int, connections: int) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(urls) + "\n")
        url_file = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % url_file)
        script = f.name
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script, f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"errors during the run: {non2xx.group(0)}\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise SystemExit(f"wrk printed no rate:\n{out}")
    return float(rate.group(1))


def latencies(port: int, urls: list[str], n: int) -> tuple[float, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for url in itertools.islice(itertools.cycle(urls), n):
        start = time.perf_counter()
        conn.request("GET", url)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (url, response.status)
    conn.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(
    sets: dict[str, list[str]], args: argparse.Namespace, extra_env: dict[str, str]
) -> tuple[dict[str, list[float]], dict[str, tuple[float, float]]]:
    """Start gunicorn (sync workers, DEBUG off, persistent connections, plain HTTP), warm it, run
    wrk per view round by round (drift cancels), then single-connection p50/p95 per view."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        # Plain HTTP on loopback: with DEBUG=0 every list URL would otherwise answer a 301 to
        # https:// (only /healthz/ is exempt), and wrk would time the redirect, not the page.
        "SECURE_SSL_REDIRECT": "0",
        **extra_env,
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "xiangtan_jobs.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "-k",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(3)
        for urls in sets.values():  # warm every worker (connections, reference lists)
            wrk(args.port, urls, 2, args.connections)
        rps: dict[str, list[float]] = {k: [] for k in sets}
        for _ in range(args.rounds):
            for name, urls in sets.items():
                rps[name].append(wrk(args.port, urls, args.seconds, args.connections))
        lat = {name: latencies(args.port, urls, args.latency_requests) for name, urls in sets.items()}
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # a worker busy under a loaded machine: the figures stand
            server.kill()
            server.wait()

    return rps, lat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--urls", type=int, default=400)
    parser.add_argument("--latency-requests", type=int, default=300)
    parser.add_argument(
        "--count-cache-seconds",
        type=int,
        default=None,
        help="PORTAL_COUNT_CACHE_SECONDS for the server (0: count every request, no count cache)",
    )
    args = parser.parse_args()

    setup_django()
    sets = url_sets(args.urls, seed=1)
    extra = {}
    if args.count_cache_seconds is not None:
        extra["PORTAL_COUNT_CACHE_SECONDS"] = str(args.count_cache_seconds)
    rps, lat = measure(sets, args, extra)

    med = {k: statistics.median(v) for k, v in rps.items()}
    print(
        f"\n{args.rounds} rounds × {args.seconds} s per view, {args.workers} sync workers, "
        f"wrk -t1 -c{args.connections}"
        + (f", PORTAL_COUNT_CACHE_SECONDS={args.count_cache_seconds}" if args.count_cache_seconds is not None else "")
        + "\n"
    )
    print("| view | req/s (median) | ÷ trivial | p50 ms (1 conn) | p95 ms (1 conn) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in sets:
        print(
            f"| {name} | {med[name]:.1f} | {med[name] / med['trivial']:.3f} | {lat[name][0]:.1f} | {lat[name][1]:.1f} |"
        )
    print(f"\ndeep page / page 1 = {med['deep'] / med['page1']:.3f}")
    print("rounds:", {k: [round(x) for x in v] for k, v in rps.items()})


if __name__ == "__main__":
    main()
