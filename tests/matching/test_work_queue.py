"""The operators' work queue, first on the admin's index: open applications of their own site,
oldest first with their age and deadline, answers to invitations marked, names masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from matching.models import Match
from matching.services import match_apply, match_invite
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import UserRole, WorkType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    settings.APPLICATION_ANSWER_DAYS_DAY_GIG = 3
    settings.APPLICATION_ANSWER_DAYS = 14


def _seeker(phone, name, django_user_model):
    user = django_user_model.objects.create_user(phone, role=UserRole.SEEKER)
    return SeekerFactory(user=user, phone=phone, name=name)


@pytest.fixture
def queue(yuhu, yuetang_nursing, alice, django_user_model, frozen_clock):
    """At 雨湖: a new application 2 days old (a day gig, due tomorrow), an answered invitation 5
    hours old; at the other site: one application."""
    wang = _seeker("13800138001", "王秀英", django_user_model)
    li = _seeker("13800138002", "李桂兰", django_user_model)
    zhao = _seeker("13800138003", "赵大海", django_user_model)
    gig = PostingFactory(service_point=yuhu, title="搬运（日结）", work_type=WorkType.DAY)
    clean = PostingFactory(service_point=yuhu, title="小区保洁员", work_type=WorkType.FULL)
    other = PostingFactory(service_point=yuetang_nursing, title="养老护理员", work_type=WorkType.FULL)
    new = match_apply(seeker=wang, posting=gig, actor=wang.user, now=NOON - dt.timedelta(days=2))
    invited = Match.objects.create(posting=clean, seeker=li, score=80)
    match_invite(match=invited, actor=alice, now=NOON - dt.timedelta(days=1))
    answered = match_apply(seeker=li, posting=clean, actor=li.user, now=NOON - dt.timedelta(hours=5))
    elsewhere = match_apply(seeker=zhao, posting=other, actor=zhao.user, now=NOON - dt.timedelta(days=3))
    return {"new": new, "answered": answered, "elsewhere": elsewhere}


def _row(match, seeker, kind, age, deadline):
    return (
        f'<tr><th scope="row"><a href="/admin/matching/match/{match.pk}/change/">{match.posting.title}</a></th>'
        f"<td>{seeker}</td><td>{kind}</td><td>{age}</td><td>{deadline}</td></tr>"
    )


def test_an_operator_sees_the_queue_of_their_own_site_oldest_first(client, alice, queue):
    client.force_login(alice)
    response = client.get("/admin/")
    body = response.content.decode()
    assert body.index('id="work-queue"') < body.index('id="content-main"')  # the first thing on the index
    assertContains(response, '<h2 id="work-queue-title">待处理的申请</h2>', html=True)
    assertContains(
        response,
        '<p class="work-queue-counts">等待处理 2 个（其中回复邀请 1 个）· 已邀请未回复 0 个 · '
        "近 30 天未获回复而关闭 0 个</p>",
        html=True,
    )
    new = _row(queue["new"], "王**", "新申请", "2 天", "<strong>快到期</strong> 12月1日 12:00")
    answered = _row(queue["answered"], "李**", "回复邀请", "5 小时", "12月14日 07:00")
    assertContains(response, new, html=True)
    assertContains(response, answered, html=True)
    assert body.index("搬运（日结）") < body.index("小区保洁员")  # oldest first
    assertNotContains(response, "养老护理员")  # another site's
    assertNotContains(response, "王秀英")  # masked, like every list
    assertNotContains(response, "13800138001")


def test_another_sites_operator_sees_only_theirs(client, bob, queue):
    client.force_login(bob)
    response = client.get("/admin/")
    assertContains(response, "养老护理员")
    assertNotContains(response, "搬运（日结）")
    assertNotContains(response, "小区保洁员")


def test_an_application_past_its_deadline_is_flagged(client, alice, queue, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=1, hours=1))  # the day gig's 3 days are over; the task has not run yet
    client.force_login(alice)
    response = client.get("/admin/")
    assertContains(response, _row(queue["new"], "王**", "新申请", "3 天", "<strong>已超期</strong>"), html=True)


def test_the_bureau_sees_every_site_with_its_name(client, charlie, queue):
    client.force_login(charlie)
    response = client.get("/admin/")
    assertContains(response, '<h2 id="work-queue-title">待处理的申请（全部服务点）</h2>', html=True)
    for title in ("搬运（日结）", "小区保洁员", "养老护理员"):
        assertContains(response, title)
    assertContains(response, '<span class="help">岳塘区护理行业零工市场</span>', html=True)


def test_an_empty_queue_says_so(client, alice, ref):
    client.force_login(alice)
    assertContains(client.get("/admin/"), "<p>没有等待处理的申请。</p>", html=True)


def test_the_queue_costs_the_same_queries_for_one_or_many(client, alice, yuhu, django_user_model, frozen_clock):
    client.force_login(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/").status_code == 200
        return len(ctx.captured_queries)

    def apply(i: int) -> None:
        seeker = _seeker(f"1380013{i:04d}", "王秀英", django_user_model)
        match_apply(seeker=seeker, posting=PostingFactory(service_point=yuhu), actor=seeker.user, now=NOON)

    apply(1)
    one = count()
    for i in range(2, 7):
        apply(i)
    assert count() == one
