"""Benchmark of the job fairs against the job list page, in one run (issue 11).

Run from the project root against PostgreSQL holding demo data with at least 10,000 seekers
(`seed_demo --postings 12000 --seekers 11000`, see bench/README.md), with Redis as the cache:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xt_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/bench_fairs.py --signups 10000 --checkins 300

What it does, in this process through Django's full request path (middleware, sessions, CSRF,
templates; `DEBUG` off):

1. builds (once; a second run reuses it) a bench fair of a site on today with 100 exhibitors and
   their posts (demo postings), and `--signups` sign-ups of demo seekers for today;
2. times, round by round, the job list's page 1 (the baseline), the trivial health page, the fair's
   page (page 1; page 3 of a work-type search; a keyword search), and the results page of its
   whole series;
3. posts `--checkins` check-ins at the door (each a fresh ticket), one request each, and prints their
   p50/p95 beside the trivial view's and the job list's, with ratios and query counts.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangtan_jobs.settings.base")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from fairs import views as fair_views  # noqa: E402
from fairs.enums import SignupStatus  # noqa: E402
from fairs.models import Exhibitor, FairSession, FairSignup, JobFair  # noqa: E402
from xiangtan_jobs.core.enums import MembershipRole, UserRole  # noqa: E402
from xiangtan_jobs.core.models import (  # noqa: E402
    Employer,
    JobPosting,
    OperatorMembership,
    SeekerRegistration,
    ServicePoint,
    User,
)

TITLE = "性能测试专场招聘会"


def _fair(signups: int) -> JobFair:
    today = timezone.localdate()
    site = ServicePoint.objects.filter(name="雨湖零工市场").first() or ServicePoint.objects.order_by("id").first()
    if site is None:
        raise SystemExit("no service point: load the reference and demo data first")
    fair, created = JobFair.objects.get_or_create(
        title=TITLE,
        starts_on=today,
        defaults={
            "series": "性能测试系列",
            "organiser": site.name,
            "venue": site.name,
            "address": site.address,
            "area": site.area,
            "lat": site.lat,
            "lng": site.lng,
            "contact_phone": "0731-58533441",
            "ends_on": today,
            "service_point": site,
            "is_demo": True,
        },
    )
    session, _ = FairSession.objects.get_or_create(fair=fair, date=today)
    if created:
        employers = list(Employer.objects.filter(postings__status="published").distinct().order_by("id")[:100])
        for n, employer in enumerate(employers):
            exhibitor = Exhibitor.objects.create(fair=fair, employer=employer, booth=f"A{n + 1:03d}")
            exhibitor.postings.set(JobPosting.objects.public().filter(employer=employer).order_by("id")[:5])
    have = session.signups.count()
    if have < signups:
        taken = session.signups.values("seeker_id")
        seekers = SeekerRegistration.objects.exclude(pk__in=taken).order_by("id")[: signups - have]
        FairSignup.objects.bulk_create([FairSignup(session=session, seeker=s) for s in seekers], batch_size=2000)
    # Every run checks in fresh tickets: the earlier runs' check-ins are undone first.
    FairSignup.objects.filter(session=session, status=SignupStatus.CHECKED_IN).update(
        status=SignupStatus.SIGNED_UP, checked_in_at=None, checked_in_by=None, service_record=None
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE fairs_fairsignup")
    return fair


def _staff(fair: JobFair) -> User:
    user, _ = User.objects.get_or_create(
        username="bench-fair-op", defaults={"role": UserRole.OPERATOR, "is_staff": True}
    )
    OperatorMembership.objects.get_or_create(
        user=user, service_point_id=fair.service_point_id, defaults={"role": MembershipRole.OPERATOR}
    )
    return user


def _timed(client: Client, url: str, data: dict[str, str] | None = None) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.post(url, data) if data is not None else client.get(url)
        elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: the benchmark needs a 200")
    return elapsed, len(queries.captured_queries), len(response.content)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--signups", type=int, default=10000)
    parser.add_argument("--checkins", type=int, default=300)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_fairs needs DATABASE_URL pointing at PostgreSQL with demo data")
    # The door's rate limits stay on (their counting is part of each request's cost), raised so
    # that one bench account may post hundreds of check-ins a minute.
    fair_views.DOOR_RATES.update(user="100000/m", ip="100000/m", miss_user="100000/m", miss_ip="100000/m")
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off serves the hashed manifest
    t0 = time.perf_counter()
    fair = _fair(args.signups)
    session = fair.sessions.get()
    exhibitors = fair.exhibitors.count()
    posts = Exhibitor.postings.through.objects.filter(exhibitor__fair=fair).count()
    signed = session.signups.count()
    print(
        f"data: {JobPosting.objects.count():,} postings, {SeekerRegistration.objects.count():,} registrations; "
        f"fair: {exhibitors} exhibitors, {posts} posts, {signed:,} sign-ups today "
        f"(prepared in {time.perf_counter() - t0:.1f} s); DEBUG={settings.DEBUG}"
    )
    staff = Client()
    staff.force_login(_staff(fair))
    anonymous = Client()
    views = [
        ("job list, page 1 (baseline)", anonymous, "/jobs/"),
        ("trivial view (/healthz/)", anonymous, "/healthz/"),
        (f"fair page 1 of {exhibitors} exhibitors", anonymous, f"/fairs/{fair.pk}/"),
        ("fair page 3, full-time posts", anonymous, f"/fairs/{fair.pk}/?work_type=full&page=3"),
        ("fair page 1, keyword 保洁", anonymous, f"/fairs/{fair.pk}/?q=%E4%BF%9D%E6%B4%81"),
        ("results of the whole series", staff, f"/fairs/{fair.pk}/results/?series=1"),
    ]
    times: dict[str, list[float]] = {name: [] for name, *_ in views}
    queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for _name, client, url in views:
        _timed(client, url)  # warm
    for _round in range(args.rounds):
        for name, client, url in views:
            elapsed, n, size = _timed(client, url)
            times[name].append(elapsed)
            queries[name], sizes[name] = n, size
    # The door: a check-in request per ticket, the trivial view and the job list between them.
    codes = list(session.signups.filter(status=SignupStatus.SIGNED_UP).values_list("code", flat=True)[: args.checkins])
    door: list[float] = []
    trivial: list[float] = []
    door_queries = 0
    url = f"/fairs/{fair.pk}/checkin/"
    _timed(staff, url)
    for code in codes:
        elapsed, door_queries, _size = _timed(staff, url, {"code": code})
        door.append(elapsed)
        trivial.append(_timed(anonymous, "/healthz/")[0])
    if session.signups.filter(status=SignupStatus.CHECKED_IN).count() < len(codes):
        raise SystemExit("not every check-in went through")
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
    p50, p95 = _pct(door, 0.5), _pct(door, 0.95)
    t50, t95 = _pct(trivial, 0.5), _pct(trivial, 0.95)
    print()
    print(f"| check-ins at the door ({len(door)} requests, {signed:,} signed up) | p50 ms | p95 ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| check-in POST | {p50 * 1000:.1f} | {p95 * 1000:.1f} | {door_queries} |")
    print(f"| trivial view, same run | {t50 * 1000:.1f} | {t95 * 1000:.1f} | |")
    print(f"| check-in ÷ trivial | {p50 / t50:.1f} | {p95 / t95:.1f} | |")
    print(f"| check-in ÷ job list median | {p50 / base:.2f} | | |")


if __name__ == "__main__":
    main()
