"""Benchmark of the gig markets' public pages against the trivial view and the job list, in one run (issue 12).

Run from the project root against PostgreSQL holding `seed_demo --postings 50000 --seekers 35000`
(see bench/README.md; the demo's day gigs are dated from the seeding day, so seed the same day
or pass `--today`), with Redis as the cache:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiangtan_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/bench_markets.py --rounds 20

What it does, all in this process through Django's full request path (middleware, sessions, CSRF,
templates; `DEBUG` off): round by round, one request of each view after the other (so drift hits
all alike; every view warmed once first): the trivial view (/healthz/: the request path alone,
the baseline as in bench_pages and bench_fairs), the job list's page 1 (the portal's busiest
page), the market with the most day gigs' 今日零工 page (the board), its big screen and the
screen's data JSON (what the hall's TV polls every 30 s), and 今日零工 near a district (the home
page's button). Prints per view the median and worst time, the ratios to the trivial view and to
the job list, the query count and the size.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangtan_jobs.settings.base")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from markets.enums import MarketFocus  # noqa: E402
from markets.models import DayGig, GigAssignment, GigMarket  # noqa: E402
from xiangtan_jobs.core.models import JobPosting  # noqa: E402


def _timed(client: Client, url: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: the benchmark needs a 200")
    return elapsed, len(queries.captured_queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=None, help="the seeding day, if not today (YYYY-MM-DD)"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_markets needs DATABASE_URL pointing at PostgreSQL with the full demo data")
    today = args.today or timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    with time_machine.travel(noon, tick=True):
        run(args.rounds, today)


def run(rounds: int, today: dt.date) -> None:
    current = DayGig.objects.filter(work_date__in=[today, today + dt.timedelta(days=1)])
    busiest = current.values("market").annotate(n=Count("id")).order_by("-n", "market").first()
    if busiest is None:
        raise SystemExit(f"no day gigs for {today}: seed the demo data that day (or pass --today)")
    market_id = busiest["market"]
    # The district of the market (its area, or the area's parent when the area is a street).
    place = DayGig.objects.filter(market_id=market_id).values_list("market__area_id", "market__area__parent_id")
    area_id, parent_id = place.first() or (None, None)
    area = parent_id or area_id
    # The nursing-care market: its board's nearby gigs are narrowed to its trade's skills.
    industry = GigMarket.objects.filter(focus=MarketFocus.NURSING).values_list("pk", flat=True).first()
    if industry is None:
        raise SystemExit("no nursing-care market: load the reference data (seed_demo does)")
    print(
        f"data: {JobPosting.objects.count():,} postings, {current.count():,} day gigs today and tomorrow "
        f"({busiest['n']} at market {market_id}), {GigAssignment.objects.count():,} assignments; "
        f"DEBUG={settings.DEBUG}"
    )
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off serves the hashed manifest
    client = Client()
    views = [
        ("trivial view (/healthz/, baseline)", "/healthz/"),
        ("job list, page 1", "/jobs/"),
        ("a market's 今日零工 page", f"/markets/{market_id}/today/"),
        ("its big screen", f"/markets/{market_id}/screen/"),
        ("the screen's data JSON", f"/markets/{market_id}/screen/data/"),
        ("an industry market's 今日零工 (nearby narrowed to its trade)", f"/markets/{industry}/today/"),
        ("今日零工 near a district", f"/markets/today/?near={area}"),
        ("今日零工 with no place yet (the markets' counts)", "/markets/today/"),
    ]
    times: dict[str, list[float]] = {name: [] for name, _ in views}
    queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for _name, url in views:
        _timed(client, url)
    for _round in range(rounds):
        for name, url in views:
            elapsed, n, size = _timed(client, url)
            times[name].append(elapsed)
            queries[name], sizes[name] = n, size
    trivial = statistics.median(times[views[0][0]])
    jobs = statistics.median(times[views[1][0]])
    print()
    print(f"| view | median ms | worst ms | ÷ trivial | ÷ job list | queries | KiB | ({rounds} rounds) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, _url in views:
        med = statistics.median(times[name])
        print(
            f"| {name} | {med * 1000:.1f} | {max(times[name]) * 1000:.1f} | {med / trivial:.1f} | {med / jobs:.2f} | "
            f"{queries[name]} | {sizes[name] / 1024:.1f} | |"
        )


if __name__ == "__main__":
    main()
