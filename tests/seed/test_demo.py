"""The demo data command: plausible, deterministic for a seed, and idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory

from markets.models import DayGig, GigAssignment
from markets.selectors import market_board, market_day_figures
from markets.services import CHECKIN_NOTE
from tests.clock import TODAY
from xiangtan_jobs.core.enums import ServicePointKind
from xiangtan_jobs.core.models import (
    Employer,
    JobPosting,
    OperatorMembership,
    PostingSkill,
    SeekerRegistration,
    ServicePoint,
    ServiceRecord,
    User,
)
from xiangtan_jobs.seed.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_seed

pytestmark = pytest.mark.usefixtures("ref", "frozen_clock")


def fingerprint() -> list[object]:
    """The demo content, independent of primary keys and wall-clock timestamps."""
    postings = list(
        JobPosting.objects.order_by("id").values_list(
            "title", "employer__name", "service_point__name", "area__code", "lat", "lng", "work_type", "wage_min",
            "wage_max", "wage_unit", "headcount", "status", "published_at", "expires_on", "older_ok",
        )
    )  # fmt: skip
    skills = list(PostingSkill.objects.order_by("posting_id", "skill__code").values_list("skill__code", "required"))
    seekers = [
        (s.name, s.phone, s.birth_year, s.area.code, s.home_lat, s.tags, s.status)
        for s in SeekerRegistration.objects.order_by("id").select_related("area")
    ]
    gigs = list(
        DayGig.objects.order_by("id").values_list(
            "market__name", "posting__title", "work_date", "starts_at", "headcount", "day_wage"
        )
    )
    assigned = list(
        GigAssignment.objects.order_by("day_gig_id", "seeker__phone_digest").values_list("source", flat=True)
    )
    checkins = list(ServiceRecord.objects.filter(note=CHECKIN_NOTE).order_by("id").values_list("kind", "served_at"))
    return [postings, skills, seekers, gigs, assigned, checkins]


def test_demo_is_plausible_and_idempotent():
    counts = demo_seed(postings=300, seekers=200, seed=7, today=TODAY)
    assert counts.created and counts.postings == 300
    sites = ServicePoint.objects.values("kind").annotate(n=Count("id"))
    assert {r["kind"]: r["n"] for r in sites} == {
        ServicePointKind.GIG_MARKET: 10,
        ServicePointKind.YOUTH_STATION: 12,
        ServicePointKind.HR_MARKET: 1,
        ServicePointKind.GIG_POST: 3,
    }
    # The three sites the facts name (two gig markets, the HR market); every other one is demo.
    assert ServicePoint.objects.filter(is_demo=False).count() == 3
    assert not JobPosting.objects.filter(service_point__kind=ServicePointKind.HR_MARKET).exists()
    assert JobPosting.objects.count() == 300 and SeekerRegistration.objects.count() == 200
    # Cleaning pays by the day, around the 200 yuan the facts report.
    cleaning = list(JobPosting.objects.filter(posting_skills__skill__name="保洁员", posting_skills__required=True))
    assert cleaning, "the demo has no cleaning postings to check"
    assert all(p.wage_unit == "day" and 100 <= p.wage_max <= 300 for p in cleaning)
    # Piece rates keep their jiao (手工活 pays 0.5–5 元/件): none reads 「0 元/件」.
    piece = JobPosting.objects.filter(wage_unit="piece")
    assert piece.exists() and not piece.filter(wage_min=0).exists()
    tags = {t for row in SeekerRegistration.objects.values_list("tags", flat=True) for t in row}
    assert {"graduate", "rural", "returnee", "migrant", "mother", "older", "disabled"} <= tags
    assert all(e.credit_code and len(e.credit_code) == 18 for e in Employer.objects.filter(is_demo=True))
    # Every demo login works as the README lists it; the seeker's is the phone, never a username.
    for login, _label in DEMO_LOGINS.values():
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=login, password=DEMO_PASSWORD) is not None, login
    assert not User.objects.filter(username=DEMO_LOGINS["seeker"][0]).exists()
    assert OperatorMembership.objects.filter(user__username="yuhu_op", service_point__name="雨湖零工市场").exists()
    again = demo_seed(postings=300, seekers=200, seed=7, today=TODAY)
    assert not again.created and JobPosting.objects.count() == 300


def test_demo_has_todays_and_tomorrows_day_gigs_and_the_mornings_check_ins():
    """`make run` shows 今日零工 with real entries: day gigs dated from the seeding day."""
    from markets.models import GigMarket

    demo_seed(postings=600, seekers=300, seed=7, today=TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    gigs = list(DayGig.objects.select_related("posting"))
    assert gigs and {g.work_date for g in gigs} == {TODAY, tomorrow}
    assert all(g.posting.work_type == "day" and g.posting.service_point_id == g.market_id for g in gigs)
    boards = [market_board(market=m, today=TODAY) for m in GigMarket.objects.order_by("id")]
    shown = [r for b in boards for r in b.own]
    assert len(shown) == len(gigs)  # every seeded gig is current and public
    assert all(0 <= r.left <= r.headcount for r in shown) and any(r.left < r.headcount for r in shown)
    checkins = ServiceRecord.objects.filter(note=CHECKIN_NOTE, served_at__date=TODAY)
    assert checkins.count() >= 10 * 5
    demo_market = GigMarket.objects.filter(is_demo=True).order_by("id").first()
    figures = market_day_figures(market=demo_market, day=TODAY)
    assert figures.served > 0


@pytest.mark.django_db(transaction=True)
def test_same_seed_same_data_different_seed_different_data(ref):
    def run(seed: int) -> list[object]:
        call_command("seed_demo", postings=120, seekers=80, seed=seed, today=TODAY, stdout=io.StringIO())
        data = fingerprint()
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_reference", stdout=io.StringIO())
        return data

    first = run(3)
    assert run(3) == first
    assert run(4) != first


@pytest.mark.django_db
def test_demo_stations_offer_consultation_times_a_course_an_event_and_projects(client):
    """`make run` shows the youth stations at work: bookable times, a course to enrol in (with its
    sessions), an upcoming event with posts, counted as an event once held, and a showcase."""
    from stations.models import YouthStation
    from stations.selectors import course_open_list, showcase_projects, station_events_upcoming, station_open_slots

    demo_seed(postings=600, seekers=300, seed=7, today=TODAY)
    stations = list(YouthStation.objects.filter(is_demo=True).order_by("id"))
    assert len(stations) >= 2
    for station in stations:
        assert len(station_open_slots(station=station)) >= 3
        courses = list(course_open_list(site_id=station.pk))
        assert courses and all(c.course_sessions.count() == c.sessions == 4 for c in courses)
        events = station_events_upcoming(station=station)
        assert events and all(e.site_event_id is not None for e in events)
    shown = list(showcase_projects())
    assert shown and all("（演示）" in p.name and "（演示）" in p.station.name for p in shown)
    assert "（演示）" in client.get("/stations/startups/").content.decode()
    page = client.get(f"/stations/{stations[0].pk}/").content.decode()
    assert "技能培训班（演示）" in page
    assert "（演示）" in client.get("/stations/courses/").content.decode()
