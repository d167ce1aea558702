"""Pinned query counts of the list endpoints: the same number of queries for 2 rows or 6
(no query per row), so a page of 50 or 200 costs what a page of 2 does."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fairs.enums import FairStatus
from fairs.models import Exhibitor, FairSession, JobFair
from matching.enums import MatchStatus
from matching.models import Match
from tests.api.conftest import issue, session_client, token_client
from tests.conftest import DORA_PHONE
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, street

pytestmark = pytest.mark.django_db


def _fill(n: int, site, seeker) -> None:
    for i in range(n):
        employer = EmployerFactory(service_point=site)
        posting = PostingFactory(
            title=f"保洁{i}",
            employer=employer,
            service_point=site,
            skills=[("保洁员", True, 1), ("家政服务员", False, 1)],
        )
        other = SeekerFactory(name=f"求职者{i}", service_point=site)
        Match.objects.create(posting=posting, seeker=other, score=60 + i, reasons=[], status=MatchStatus.APPLIED)
        Match.objects.create(posting=posting, seeker=seeker, score=60 + i, reasons=[], status=MatchStatus.RECOMMENDED)
        applied = Match.objects.create(
            posting=PostingFactory(title=f"申请{i}", service_point=site),
            seeker=seeker,
            score=50,
            reasons=[],
            status=MatchStatus.APPLIED,
            status_changed_at=timezone.now(),
        )
        applied.status = MatchStatus.CONTACTED
        applied.save()
        fair = JobFair.objects.create(
            title=f"招聘会{i}", organiser="雨湖零工市场", venue="雨湖零工市场", address="湘潭汽车站旁",
            area=street(), lat=27.87, lng=112.91, starts_on=timezone.localdate(), ends_on=timezone.localdate(),
            service_point=site, status=FairStatus.PUBLISHED,
        )  # fmt: skip
        FairSession.objects.create(fair=fair, date=timezone.localdate())
        Exhibitor.objects.create(fair=fair, employer=employer, booth=f"A{i}")


# (actor, url, queries). Session requests add the session and user look-ups; a token, its own.
CASES = [
    # The page and its skills; the total is cached (PORTAL_COUNT_CACHE_SECONDS), as on /jobs/.
    ("anon", "/api/v1/jobs/", 2),
    ("anon", "/api/v1/jobs/?q=保洁&sort=wage", 2),
    ("anon", "/api/v1/skills/", 1),
    ("anon", "/api/v1/areas/", 1),
    ("anon", "/api/v1/service-points/", 1),
    ("anon", "/api/v1/fairs/", 2),  # fairs, their days
    ("anon", "/api/v1/jobs/changes/?limit=500", 3),
    ("token", "/api/v1/operator/postings/", 2 + 2),  # token + membership, page, skills
    ("token", "/api/v1/operator/employers/", 2 + 1),
    ("token", "/api/v1/operator/registrations/", 2 + 2),
    ("token", "/api/v1/operator/matches/", 2 + 1),
    ("seeker", "/api/v1/me/applications/", 2 + 3),  # session, user; registration, matches, history
    ("seeker", "/api/v1/me/recommendations/", 2 + 2),  # registration, matches (reasons kept)
]


@pytest.mark.parametrize(("actor", "url", "queries"), CASES, ids=[c[1] for c in CASES])
@pytest.mark.parametrize("rows", [2, 6])
def test_list_query_count_does_not_grow_with_rows(
    actor, url, queries, rows, yuhu, alice, dora, django_assert_num_queries
):
    seeker = SeekerFactory(user=dora, phone=DORA_PHONE)
    _fill(rows, yuhu, seeker)
    Match.objects.filter(seeker=seeker).update(reasons=[{"name": "skills", "points": 40.0, "detail": {}}])
    client = {"anon": None, "token": token_client(issue(alice, site=yuhu)), "seeker": session_client(dora)}[actor]
    if client is None:
        from rest_framework.test import APIClient

        client = APIClient()
    with _settled():
        assert client.get(url).status_code == 200  # warm the cached reference lists and counts
        with django_assert_num_queries(queries):
            response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    if "service-points" not in url:  # the reference sites only
        assert len(results) >= rows


class _settled:
    """The feed serves changes only once settled: look from a minute later."""

    def __enter__(self):
        import datetime as dt

        import time_machine

        self._travel = time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False)
        self._travel.start()

    def __exit__(self, *exc):
        self._travel.stop()
