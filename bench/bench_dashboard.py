"""Benchmark of the bureau's dashboard against the job list page, in one run (issue 14).

Run from the project root against PostgreSQL holding `seed_demo --postings 50000 --seekers 35000`
(see bench/README.md), with Redis as the cache:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiangtan_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/bench_dashboard.py --rounds 5

What it does, all in this process through Django's full request path (middleware, sessions, CSRF,
templates; `DEBUG` off):

1. the nightly roll-up (`rollup_refresh` over last year and this year up to yesterday): the slow
   part that makes the page fast, timed and reported, never skipped;
2. round by round, one request of each view after the other, so that drift hits all alike (each
   round first warms every view untimed, and times the cold view last):
   the job list's page 1 (the baseline: the portal's busiest page), the dashboard with its cache
   warm, the dashboard cold (the cache emptied first: today's live figures computed again), the
   big screen, the assessment table and a site's page (what its operator sees);
3. prints per view the median and worst time, the ratio to the job list and the query count.

The full demo data is marked as demo, so the dashboard views are asked with `demo=1` (otherwise
they would count nothing and measure nothing).
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangtan_jobs.settings.base")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_COOKIES", "0")

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xiangtan_jobs.core.enums import UserRole  # noqa: E402
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, ServicePoint, User  # noqa: E402
from xiangtan_jobs.dashboard.models import DailyFigure  # noqa: E402
from xiangtan_jobs.dashboard.services import rollup_default_days, rollup_refresh  # noqa: E402


def _user(username: str, role: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "is_staff": True})
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _timed(client: Client, url: str, *, cold: bool = False) -> tuple[float, int, int]:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: the benchmark needs a 200")
    return elapsed, len(queries.captured_queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_dashboard needs DATABASE_URL pointing at PostgreSQL with the full demo data")
    postings, seekers = JobPosting.objects.count(), SeekerRegistration.objects.count()
    print(f"data: {postings:,} postings, {seekers:,} registrations; DEBUG={settings.DEBUG}")

    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off serves the hashed manifest
    lo, hi = rollup_default_days()
    t0 = time.perf_counter()
    run = rollup_refresh(day_from=lo, day_to=hi)
    rollup_s = time.perf_counter() - t0
    print(f"roll-up {lo}–{hi}: {run.rows:,} rows in {rollup_s:.1f} s ({DailyFigure.objects.count():,} in the table)")

    bureau = _client(_user("bench-bureau", UserRole.BUREAU))
    site = ServicePoint.objects.filter(name__contains="雨湖").order_by("id").first() or ServicePoint.objects.first()
    if site is None:
        raise SystemExit("no service point: seed the demo data first")
    anonymous = Client()
    views: list[tuple[str, Client, str, bool]] = [
        ("job list, page 1 (baseline)", anonymous, "/jobs/", False),
        ("dashboard, warm", bureau, "/dashboard/?demo=1", False),
        ("dashboard, cold cache", bureau, "/dashboard/?demo=1", True),
        ("big screen", bureau, "/dashboard/screen/?demo=1", False),
        ("assessment table", bureau, "/dashboard/assessment/?demo=1", False),
        (f"a site's page ({site.name})", bureau, f"/dashboard/sites/{site.pk}/?demo=1", False),
    ]
    times: dict[str, list[float]] = {name: [] for name, *_ in views}
    queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for _round in range(args.rounds):
        # Warm every cached path (untimed): the cold view of the last round emptied the cache.
        for _name, client, url, _cold in views:
            _timed(client, url)
        for name, client, url, cold in sorted(views, key=lambda v: v[3]):  # the cold one last
            elapsed, n, size = _timed(client, url, cold=cold)
            times[name].append(elapsed)
            queries[name], sizes[name] = n, size
    base = statistics.median(times[views[0][0]])
    print()
    print(f"| view | median ms | worst ms | ÷ job list | queries | KiB | ({args.rounds} rounds) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, *_ in views:
        med = statistics.median(times[name])
        print(
            f"| {name} | {med * 1000:.1f} | {max(times[name]) * 1000:.1f} | {med / base:.2f} | "
            f"{queries[name]} | {sizes[name] / 1024:.0f} | |"
        )


if __name__ == "__main__":
    main()
