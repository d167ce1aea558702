"""My page starts with my applications: each one with where it stands, its status history as a
timeline, and the news it sent me; recommendations come after."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_apply, match_mark_viewed, match_set_status, match_withdraw
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import WorkType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    settings.APPLICATION_ANSWER_DAYS_DAY_GIG = 3
    settings.APPLICATION_ANSWER_DAYS = 14


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone="13800138000", name="王秀英")


@pytest.fixture
def logged_in(client, dora, seeker):
    client.force_login(dora)
    return client


def _timeline(*steps):
    items = "".join(f'<li><strong>{label}</strong> <span class="meta">{when}</span></li>' for label, when in steps)
    return f'<ol class="timeline">{items}</ol>'


def test_applications_come_first_with_their_timeline_and_news(logged_in, seeker, dora, yuhu, alice, frozen_clock):
    posting = PostingFactory(service_point=yuhu, title="小区保洁员", work_type=WorkType.FULL)
    Match.objects.create(posting=PostingFactory(title="医院保洁"), seeker=seeker, score=80)  # a recommendation
    match = match_apply(seeker=seeker, posting=posting, actor=dora)
    frozen_clock.shift(dt.timedelta(hours=2))
    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=alice)
    frozen_clock.shift(dt.timedelta(days=1))
    interview = NOON + dt.timedelta(days=2, hours=-2)
    match_set_status(
        match=match, status=MatchStatus.INTERVIEW, actor=alice, interview_at=interview, interview_place="韶山路 88 号"
    )
    response = logged_in.get("/me/")
    body = response.content.decode()
    assert body.index('<h2 id="apps">我的申请</h2>') < body.index('<h2 id="rec">给您推荐的工作</h2>')
    assertContains(response, "<p>现在：<strong>面试中</strong></p>", html=True)
    assertContains(response, "<p>面试：12月2日 10:00，韶山路 88 号</p>", html=True)
    assertContains(
        response,
        _timeline(("已申请", "11月30日 12:00"), ("已联系", "11月30日 14:00"), ("面试中", "12月1日 14:00")),
        html=True,
    )
    # The news of each change, under the application it belongs to.
    assertContains(response, "<h4>收到的通知</h4>", html=True)
    assertContains(response, "服务点已和您联系")
    assertContains(response, "您申请的「小区保洁员」请您去面试。时间：12月2日 10:00，地点：韶山路 88 号。")
    # In progress: no withdrawing, no applying again.
    assertNotContains(response, f"/me/applications/{match.pk}/withdraw/")
    assertNotContains(response, f'href="/me/apply/{posting.pk}/?next=/me/"')


def test_an_open_application_says_when_it_closes_unanswered(logged_in, seeker, dora, frozen_clock):
    gig = PostingFactory(title="搬运（日结）", work_type=WorkType.DAY)
    match = match_apply(seeker=seeker, posting=gig, actor=dora)
    response = logged_in.get("/me/")
    assertContains(
        response,
        '<p class="help">服务点会尽快处理。到 12月3日 还没人处理的话，这个申请会自动关闭，并通知您。</p>',
        html=True,
    )
    assertContains(response, f'<a class="btn" href="/me/applications/{match.pk}/withdraw/">', count=1)
    assertContains(response, _timeline(("已申请", "11月30日 12:00")), html=True)


def test_a_withdrawn_then_renewed_application_shows_each_step(logged_in, seeker, dora, frozen_clock):
    posting = PostingFactory(title="小区保洁员")
    match = match_apply(seeker=seeker, posting=posting, actor=dora)
    frozen_clock.shift(dt.timedelta(minutes=30))
    match_withdraw(match=match, actor=dora)
    response = logged_in.get("/me/")
    assertContains(response, _timeline(("已申请", "11月30日 12:00"), ("已撤回", "11月30日 12:30")), html=True)
    assertContains(
        response,
        f'<a class="btn btn-primary" href="/me/apply/{posting.pk}/?next=/me/">重新申请'
        '<span class="sr-only"> 小区保洁员</span></a>',
        html=True,
    )
    frozen_clock.shift(dt.timedelta(days=1))
    match_apply(seeker=seeker, posting=posting, actor=dora)
    response = logged_in.get("/me/")
    assertContains(
        response,
        _timeline(("已申请", "11月30日 12:00"), ("已撤回", "11月30日 12:30"), ("已申请", "12月1日 12:30")),
        html=True,
    )


def test_the_timeline_leaves_out_what_only_the_engine_did(logged_in, seeker, dora, frozen_clock):
    posting = PostingFactory(title="小区保洁员")
    match = Match.objects.create(posting=posting, seeker=seeker, score=70)  # recommended
    match_mark_viewed(match=match, actor=dora)
    frozen_clock.shift(dt.timedelta(hours=1))
    match = match_apply(seeker=seeker, posting=posting, actor=dora)
    match.score = 75  # a later rescoring saves the row again: the same status, no new step
    match.save()
    response = logged_in.get("/me/")
    assertContains(response, _timeline(("已申请", "11月30日 13:00")), html=True)


def test_someone_elses_news_never_shows(logged_in, seeker, dora, alice, yuhu, frozen_clock, django_user_model):
    other_user = django_user_model.objects.create_user("13900139000")
    other = SeekerFactory(user=other_user, name="李四")
    posting = PostingFactory(service_point=yuhu, title="仓库理货员", work_type=WorkType.FULL)
    theirs = match_apply(seeker=other, posting=posting, actor=other_user)
    match_set_status(match=theirs, status=MatchStatus.CONTACTED, actor=alice)
    mine = match_apply(seeker=seeker, posting=PostingFactory(title="小区保洁员"), actor=dora)
    response = logged_in.get("/me/")
    assertContains(response, f'<h3 id="app-{mine.pk}">')
    assertNotContains(response, "仓库理货员")


def test_my_page_costs_the_same_queries_for_one_or_many_applications(logged_in, seeker, dora, alice, frozen_clock):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert logged_in.get("/me/").status_code == 200
        return len(ctx.captured_queries)

    first = match_apply(seeker=seeker, posting=PostingFactory(work_type=WorkType.FULL), actor=dora)
    match_set_status(match=first, status=MatchStatus.CONTACTED, actor=alice)
    count()  # the first view fills the day's cache of course reasons (stations.selectors)
    one = count()
    for _ in range(4):
        m = match_apply(seeker=seeker, posting=PostingFactory(work_type=WorkType.FULL), actor=dora)
        match_set_status(match=m, status=MatchStatus.CONTACTED, actor=alice)
    assert count() == one
