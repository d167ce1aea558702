"""The matching glue on the real database: storage, acted-on matches, incremental equals full."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.enums import MatchStatus
from matching.models import Match, MatchClaim
from matching.services import (
    match_apply,
    matches_fill_reasons,
    matching_run_posting,
    matching_run_seeker,
    rematch_inline,
    seekers_notify,
)
from tests.clock import NOON, TODAY
from tests.factories import PostingFactory, SeekerFactory, UserFactory
from xiangtan_jobs.common.sms import ConsoleSmsBackend
from xiangtan_jobs.core.models import InboxMessage, JobPosting, SeekerRegistration, SeekerSkill, Skill
from xiangtan_jobs.seed.demo import demo_seed

pytestmark = pytest.mark.usefixtures("ref", "frozen_clock")


def current(seeker) -> list[int]:
    return list(
        Match.objects.filter(seeker=seeker, is_current=True)
        .order_by("-score", "posting_id")
        .values_list("posting_id", flat=True)
    )


def test_posting_run_stores_matches_with_reasons_in_words():
    posting = PostingFactory(skills=[("保洁员", True, 1)], wage_max=220)
    near = SeekerFactory(skills=[("保洁员", 3, False)], expected_wage=180, expected_unit="day")
    far = SeekerFactory(skills=[("保洁员", 3, False)], home_lat=27.60, home_lng=112.50, travel_km=5)
    welder = SeekerFactory(skills=[("焊工", 3, True)])
    matching_run_posting(posting_id=posting.pk)
    assert current(near) == [posting.pk]
    assert current(far) == [] and current(welder) == []
    match = Match.objects.get(posting=posting, seeker=near)
    names = [f["name"] for f in match.reasons]
    assert names == ["skills", "distance", "wage", "schedule", "suitability", "freshness"]
    assert abs(sum(f["points"] for f in match.reasons) - match.score) < 0.05
    assert match.reasons[0]["detail"]["matched"] == [{"skill": "保洁员", "how": "exact"}]
    assert match.reasons[2]["detail"]["expected"] == 180


def test_alias_carer_is_matched_to_elderly_care_posting():
    posting = PostingFactory(title="养老院护理员", skills=[("养老护理员", True, 1)])
    carer = SeekerFactory(skills=[("护工", 3, False)])
    matching_run_seeker(seeker_id=carer.pk)
    assert current(carer) == [posting.pk]
    how = Match.objects.get(seeker=carer).reasons[0]["detail"]["matched"][0]["how"]
    assert how == "alias"


def test_paused_seeker_and_closed_posting_get_nothing_but_applications_stay(dora):
    posting = PostingFactory()
    other = PostingFactory()
    seeker = SeekerFactory(user=dora)
    matching_run_seeker(seeker_id=seeker.pk)
    assert set(current(seeker)) == {posting.pk, other.pk}
    match_apply(seeker=seeker, posting=posting, actor=dora)
    applied = Match.objects.get(posting=posting, seeker=seeker)
    SeekerRegistration.objects.filter(pk=seeker.pk).update(status="paused")
    matching_run_seeker(seeker_id=seeker.pk)
    assert current(seeker) == []
    kept = Match.objects.get(pk=applied.pk)
    assert kept.status == MatchStatus.APPLIED and kept.score == applied.score
    JobPosting.objects.filter(pk=posting.pk).update(status="closed")
    matching_run_posting(posting_id=posting.pk)
    assert Match.objects.get(pk=applied.pk).status == MatchStatus.APPLIED


def test_a_posting_keeps_twice_its_headcount_on_merit_and_claimants_up_to_twenty_times():
    """The reach guarantee: 2 × headcount on merit; the seekers no posting keeps claim it, up to 20 ×."""
    posting = PostingFactory(headcount=1)
    seekers = [SeekerFactory() for _ in range(24)]
    matching_run_posting(posting_id=posting.pk)
    kept = Match.objects.filter(posting=posting, kept=True)
    assert kept.count() == 20 and kept.filter(claimed=False).count() == 2
    assert MatchClaim.objects.filter(posting=posting).count() == 22  # 4 wait for room
    assert sum(bool(current(s)) for s in seekers) == 20
    # A second job for two takes four of them on merit: their claims go, and room opens for two waiting.
    PostingFactory(headcount=2)
    rematch_inline(now=NOON)
    by_full = sorted(Match.objects.filter(kept=True).values_list("posting_id", "seeker_id", "claimed"))
    assert sum(bool(current(s)) for s in seekers) == 24  # everyone reached
    Match.objects.all().delete()
    MatchClaim.objects.all().delete()
    for other in JobPosting.objects.order_by("id"):
        matching_run_posting(posting_id=other.pk, now=NOON)
    assert sorted(Match.objects.filter(kept=True).values_list("posting_id", "seeker_id", "claimed")) == by_full


def test_reasons_emptied_by_full_rematch_are_filled_on_display():
    PostingFactory()
    seeker = SeekerFactory()
    rematch_inline(now=NOON)
    matches = list(Match.objects.filter(seeker=seeker, is_current=True))
    assert matches and all(m.reasons == [] for m in matches)
    matches_fill_reasons(matches)
    assert all(Match.objects.get(pk=m.pk).reasons for m in matches)


def snapshot() -> list[tuple]:
    rows = Match.objects.filter(status__in=["recommended", "viewed"]).values_list(
        "posting_id", "seeker_id", "score", "kept", "claimed", "is_current"
    )
    claims = MatchClaim.objects.values_list("posting_id", "seeker_id", "score")
    return sorted(rows) + sorted(claims)


def test_incremental_updates_leave_what_a_full_rematch_would():
    demo_seed(postings=250, seekers=200, seed=11, today=TODAY)
    rematch_inline(now=NOON)
    rng = random.Random(5)
    postings = list(JobPosting.objects.public().order_by("id"))
    seekers = list(SeekerRegistration.objects.filter(status="active").order_by("id"))
    skills = list(Skill.objects.order_by("id"))
    for posting in rng.sample(postings, 12):
        change = rng.choice(["headcount", "close", "wage", "move"])
        if change == "headcount":
            JobPosting.objects.filter(pk=posting.pk).update(headcount=rng.choice([1, 3, 8]))
        elif change == "close":
            JobPosting.objects.filter(pk=posting.pk).update(status="closed")
        elif change == "wage":
            JobPosting.objects.filter(pk=posting.pk).update(wage_max=posting.wage_max * 2)
        else:
            JobPosting.objects.filter(pk=posting.pk).update(lat=posting.lat + 0.05)
        matching_run_posting(posting_id=posting.pk, now=NOON)
    for seeker in rng.sample(seekers, 12):
        change = rng.choice(["pause", "skill", "travel", "home"])
        if change == "pause":
            SeekerRegistration.objects.filter(pk=seeker.pk).update(status="paused")
        elif change == "skill":
            SeekerSkill.objects.get_or_create(registration=seeker, skill=rng.choice(skills), defaults={"level": 4})
        elif change == "travel":
            SeekerRegistration.objects.filter(pk=seeker.pk).update(travel_km=rng.choice([2, 30]))
        else:
            SeekerRegistration.objects.filter(pk=seeker.pk).update(home_lat=seeker.home_lat - 0.04)
        matching_run_seeker(seeker_id=seeker.pk, now=NOON)
    incremental = snapshot()
    rematch_inline(now=NOON)
    assert snapshot() == incremental


def test_notifications_once_a_day_never_at_night(settings):
    settings.NOTIFY_MIN_SCORE = 0
    settings.NOTIFY_QUIET_HOURS = "21-8"
    user = UserFactory()
    seeker = SeekerFactory(user=user)
    PostingFactory()
    matching_run_seeker(seeker_id=seeker.pk)
    Match.objects.update(notified_at=None)
    InboxMessage.objects.all().delete()
    night = NOON.replace(hour=22, minute=30)
    assert seekers_notify(seeker_ids=None, now=night) == 0
    ConsoleSmsBackend.sent.clear()
    assert seekers_notify(seeker_ids=None, now=NOON) == 1
    assert InboxMessage.objects.filter(user=user).count() == 1
    PostingFactory(title="第二个岗位")
    matching_run_seeker(seeker_id=seeker.pk)
    assert seekers_notify(seeker_ids=None, now=NOON + dt.timedelta(hours=2)) == 0
    assert InboxMessage.objects.filter(user=user).count() == 1
    tomorrow = NOON + dt.timedelta(days=1)
    assert seekers_notify(seeker_ids=None, now=tomorrow) == 1
    assert InboxMessage.objects.filter(user=user).count() == 2


def test_notification_skips_only_the_seekers_told_today_and_uses_anti_joins(settings):
    """Who was told today is excluded per seeker, with NOT EXISTS: PostgreSQL cannot hash a large
    NOT IN within work_mem and re-scanned the matches for every row (issue 9, > 9 minutes)."""
    settings.NOTIFY_MIN_SCORE = 0
    settings.NOTIFY_QUIET_HOURS = "21-8"
    told, waiting = SeekerFactory(user=UserFactory()), SeekerFactory(user=UserFactory())
    PostingFactory()
    PostingFactory(title="第二个岗位")
    for seeker in (told, waiting):
        matching_run_seeker(seeker_id=seeker.pk)
    # `told` heard about one posting this morning; the other is still fresh for both.
    Match.objects.update(notified_at=None)
    first = Match.objects.filter(seeker=told).order_by("pk").first()
    Match.objects.filter(pk=first.pk).update(notified_at=NOON - dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as queries:
        assert seekers_notify(seeker_ids=None, now=NOON) == 1
    assert Match.objects.filter(seeker=waiting, notified_at=NOON).exists()
    assert not Match.objects.filter(seeker=told, notified_at=NOON).exists()
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "NOT EXISTS" in sql
    assert "NOT IN (SELECT" not in sql.replace('"', "")
