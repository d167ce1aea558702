"""Every status change tells the seeker once (inbox and SMS, at most one SMS per application per
day, never at night), and every application gets an answer: unanswered ones close as 「未获回复」
at their deadline, with similar open postings suggested."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from matching.enums import MatchStatus
from matching.models import Match
from matching.services import applications_close_unanswered, match_apply, match_invite, match_set_status
from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory
from xiangtan_jobs.core.enums import SmsStatus, UserRole, WorkType
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    settings.APPLICATION_ANSWER_DAYS_DAY_GIG = 3
    settings.APPLICATION_ANSWER_DAYS = 14


@pytest.fixture
def seeker(ref, django_user_model):
    user = django_user_model.objects.create_user("13800138000", role=UserRole.SEEKER, display_name="王秀英")
    return SeekerFactory(user=user, name="王秀英", phone="13800138000")


@pytest.fixture
def posting(yuhu):
    return PostingFactory(service_point=yuhu, title="小区保洁员", skills=[("保洁员", True, 1)], work_type=WorkType.FULL)


def _applied(seeker, posting, now=NOON):
    with time_machine.travel(now, tick=False):
        return match_apply(seeker=seeker, posting=posting, actor=seeker.user, now=now)


def test_each_status_change_is_told_once_in_plain_chinese(seeker, posting, alice):
    match = _applied(seeker, posting)
    assert not InboxMessage.objects.exists()  # applying itself is the seeker's own act
    interview = NOON + dt.timedelta(days=2, hours=-2)
    steps = [
        (MatchStatus.CONTACTED, {}, "雨湖零工市场的工作人员已经和您联系"),
        (MatchStatus.INTERVIEW, {"interview_at": interview, "interview_place": "雨湖区韶山路 88 号"}, "12月2日 10:00"),
        (MatchStatus.INTENTION, {}, "初步达成就业意向"),
        (MatchStatus.HIRED, {}, "已录用您"),
    ]
    for i, (status, details, words) in enumerate(steps):
        match_set_status(match=match, status=status, actor=alice, now=NOON + dt.timedelta(days=i), **details)
        message = InboxMessage.objects.get(user=seeker.user, dedupe_key__contains=f":{status}:")
        assert words in message.body and "小区保洁员" in message.body
        assert message.link == f"/jobs/{posting.pk}/"
    interview_message = InboxMessage.objects.get(dedupe_key__contains=":interview:")
    assert "地点：雨湖区韶山路 88 号" in interview_message.body
    assert InboxMessage.objects.filter(user=seeker.user).count() == 4
    # One SMS a day (the steps were a day apart), each with the same words and a link.
    sms = list(SmsOutbox.objects.order_by("id"))
    assert len(sms) == 4 and all(s.phone == "13800138000" and s.purpose == "application" for s in sms)
    assert "已录用您" in sms[-1].text and f"/jobs/{posting.pk}/" in sms[-1].text


def test_told_once_even_if_the_news_is_repeated(seeker, posting, alice):
    from matching.services import match_tell_seeker

    match = _applied(seeker, posting)
    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=alice, now=NOON)
    assert match_tell_seeker(match=match, status=MatchStatus.CONTACTED, now=NOON) is False
    assert InboxMessage.objects.count() == 1 and SmsOutbox.objects.count() == 1


def test_declined_is_told(seeker, posting, alice):
    match = _applied(seeker, posting)
    match_set_status(match=match, status=MatchStatus.DECLINED, actor=alice, now=NOON)
    assert "这次没有成功" in InboxMessage.objects.get().body


def test_at_most_one_sms_per_application_per_day_with_the_latest_news(seeker, posting, alice):
    match = _applied(seeker, posting)
    night = NOON.replace(hour=22)
    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=alice, now=night)
    match_set_status(match=match, status=MatchStatus.INTERVIEW, actor=alice, now=night + dt.timedelta(minutes=5))
    assert InboxMessage.objects.count() == 2  # the inbox has both
    (sms,) = SmsOutbox.objects.all()  # one SMS, held to the morning, with the latest news
    assert sms.status == SmsStatus.PENDING and sms.send_after == (night + dt.timedelta(days=1)).replace(hour=8)
    assert "请您去面试" in sms.text


def test_invitation_is_told_with_a_link_and_applying_answers_it(seeker, posting, alice):
    match = Match.objects.create(posting=posting, seeker=seeker, score=80)
    match_invite(match=match, actor=alice, now=NOON)
    match.refresh_from_db()
    assert match.status == MatchStatus.INVITED and match.invited_at == NOON
    assert not match.contact_allowed
    message = InboxMessage.objects.get()
    assert message.title == "邀请您申请岗位" and message.link == f"/jobs/{posting.pk}/"
    assert "申请后，服务点和用人单位会看到您的姓名和手机号" in message.body
    assert SmsOutbox.objects.get().purpose == "invitation"
    match = _applied(seeker, posting, NOON + dt.timedelta(hours=1))
    assert match.status == MatchStatus.APPLIED and match.contact_allowed and match.invited_at == NOON


def test_walk_in_seeker_without_account_gets_the_sms_with_how_to_log_in(posting, alice):
    walk_in = SeekerFactory(phone="13700137000")
    match = Match.objects.create(posting=posting, seeker=walk_in, score=80)
    match_invite(match=match, actor=alice, now=NOON)
    assert "用短信验证码登录" in SmsOutbox.objects.get().text
    assert not InboxMessage.objects.exists()


# --- every application gets an answer ------------------------------------------------------------


@pytest.mark.parametrize(("work_type", "days"), [(WorkType.DAY, 3), (WorkType.FULL, 14), (WorkType.PART, 14)])
def test_unanswered_applications_close_exactly_at_the_deadline(seeker, yuhu, work_type, days):
    posting = PostingFactory(service_point=yuhu, title="搬运工", work_type=work_type, skills=[("搬运工", True, 1)])
    similar = PostingFactory(service_point=yuhu, title="仓库搬运", skills=[("搬运工", True, 1)])
    PostingFactory(service_point=yuhu, title="月嫂", skills=[("月嫂", True, 1)])
    match = _applied(seeker, posting)
    deadline = NOON + dt.timedelta(days=days)
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False):
        assert applications_close_unanswered(now=deadline - dt.timedelta(seconds=1)) == 0
    match.refresh_from_db()
    assert match.status == MatchStatus.APPLIED
    with time_machine.travel(deadline, tick=False):
        assert applications_close_unanswered(now=deadline) == 1
        assert applications_close_unanswered(now=deadline) == 0  # once only
    match.refresh_from_db()
    assert match.status == MatchStatus.NO_REPLY and match.status_changed_by is None
    message = InboxMessage.objects.get()
    assert message.title == "申请未获回复，已关闭"
    assert f"{days} 天没有得到答复" in message.body
    assert f"仓库搬运（/jobs/{similar.pk}/）" in message.body and "月嫂" not in message.body
    assert message.link.startswith("/jobs/?skill=")
    assert match.history.filter(status=MatchStatus.NO_REPLY).exists()


def test_an_answered_application_is_not_closed(seeker, posting, alice):
    match = _applied(seeker, posting)
    match_set_status(match=match, status=MatchStatus.CONTACTED, actor=alice, now=NOON + dt.timedelta(hours=1))
    assert applications_close_unanswered(now=NOON + dt.timedelta(days=30)) == 0


def test_a_closed_unanswered_application_may_be_made_again(seeker, posting):
    _applied(seeker, posting)
    applications_close_unanswered(now=NOON + dt.timedelta(days=14))
    match = _applied(seeker, posting, NOON + dt.timedelta(days=15))
    assert match.status == MatchStatus.APPLIED and match.applied_at == NOON + dt.timedelta(days=15)
