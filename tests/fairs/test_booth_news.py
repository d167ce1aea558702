"""What the seeker is told of a booth's record: an interview, an intention or a hire by inbox and
SMS in plain Chinese, through the one SMS outbox (at most one text a day for one post, a later
change the same day replacing a text not yet sent; none in the quiet hours); a take-back or a
lowered result is a correction, never a second good news."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs.services import WalkInInput, booth_outcome_record, fair_walk_in, signup_check_in, signup_create
from matching.models import Match
from tests.clock import NOON
from tests.fairs.html import page
from xiangtan_jobs.core.enums import SmsStatus
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox

pytestmark = pytest.mark.django_db

FAIR_DAY = NOON + dt.timedelta(days=3)


@pytest.fixture
def inside(frozen_clock, fair, seeker, dora, alice):
    """dora signed up for the first day and checked in at the door; the clock at noon that day."""
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    frozen_clock.move_to(FAIR_DAY)
    signup_check_in(fair=fair, code=signup.code, actor=alice)
    signup.refresh_from_db()
    return signup


def _record(fair, signup, result: str, post: str = "welder", booth: str = "B12", *, actor, now=None):
    exhibitor = fair.exhibitors.select_related("employer").get(booth=booth)
    return booth_outcome_record(
        fair=fair,
        exhibitor=exhibitor,
        code=signup.code,
        result=result,
        posting_id=fair.p[post].pk if post else None,
        actor=actor,
        now=now,
    )[0]


def _inbox(user) -> list[tuple[str, str]]:
    return [(m.title, m.body) for m in InboxMessage.objects.filter(user=user).order_by("id")]


def _texts() -> list[tuple[str, str]]:
    return [(s.text, s.status) for s in SmsOutbox.objects.filter(purpose="fair_outcome").order_by("id")]


HIRED = "恭喜！湘潭电机配件厂在「雨湖春季专场招聘会」录用了您，岗位「焊工」。上岗前有问题，请打 0731-58533441。"
INTENTION = (
    "您在「雨湖春季专场招聘会」和湘潭电机配件厂初步达成了就业意向，岗位「焊工」。上岗时间等事项，工作人员会和您确认。"
)
INTERVIEW = (
    "您在「雨湖春季专场招聘会」参加了湘潭电机配件厂的面试，岗位「焊工」。有结果会再告诉您；有问题请打 0731-58533441。"
)
TAKEN_BACK = (
    "更正：您在「雨湖春季专场招聘会」和湘潭电机配件厂的洽谈结果记错了，已撤销，以工作人员联系您的为准。"
    "有疑问请打 0731-58533441。"
)
LINK = "详情：http://testserver/me/#fair-met"


def test_an_intention_is_told_by_inbox_and_sms_in_plain_chinese(fair, inside, dora, alice, settings):
    settings.PUBLIC_URL = "http://testserver"
    outcome = _record(fair, inside, "intention", actor=alice)
    assert _inbox(dora) == [("招聘会达成就业意向", INTENTION)]
    assert InboxMessage.objects.get(user=dora).link == "/me/#fair-met"
    sms = SmsOutbox.objects.get(purpose="fair_outcome")
    assert sms.phone == inside.seeker.phone and sms.text == f"【湘潭就业】{INTENTION}{LINK}"
    # Keyed like an application's news: by the match, per day.
    assert sms.dedupe_key == f"match:{outcome.match_id}:{FAIR_DAY.date().isoformat()}"
    assert sms.send_after == FAIR_DAY and sms.status == SmsStatus.PENDING


def test_talked_tells_nothing(fair, inside, dora, alice):
    _record(fair, inside, "talked", post="", actor=alice)
    assert _inbox(dora) == [] and _texts() == []


def test_better_news_the_same_day_replaces_the_text_not_yet_sent(fair, inside, dora, alice, settings):
    settings.PUBLIC_URL = "http://testserver"
    _record(fair, inside, "interview", actor=alice)
    _record(fair, inside, "hired", actor=alice)
    assert _inbox(dora) == [("招聘会面试已记录", INTERVIEW), ("招聘会录用通知", HIRED)]
    assert _texts() == [(f"【湘潭就业】{HIRED}{LINK}", SmsStatus.PENDING)]  # one text, the latest news


def test_at_most_one_text_a_day_for_one_post(fair, inside, dora, alice):
    _record(fair, inside, "interview", actor=alice)
    SmsOutbox.objects.update(status=SmsStatus.SENT)
    _record(fair, inside, "intention", actor=alice)
    assert [title for title, _body in _inbox(dora)] == ["招聘会面试已记录", "招聘会达成就业意向"]
    assert len(_texts()) == 1  # the day's text went out: the intention is in the inbox only
    # The next day a new text may go.
    _record(fair, inside, "hired", actor=alice, now=FAIR_DAY + dt.timedelta(days=1))
    assert len(_texts()) == 2


def test_a_text_in_the_quiet_hours_waits_for_the_morning(fair, inside, alice, settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    late = FAIR_DAY.replace(hour=21, minute=30)
    _record(fair, inside, "hired", actor=alice, now=late)
    morning = (late + dt.timedelta(days=1)).replace(hour=8, minute=0)
    assert SmsOutbox.objects.get(purpose="fair_outcome").send_after == morning


def test_a_take_back_is_a_correction_never_a_second_good_news(fair, inside, dora, alice, settings):
    settings.PUBLIC_URL = "http://testserver"
    _record(fair, inside, "hired", actor=alice)
    _record(fair, inside, "hired", actor=alice)  # recorded twice: told once
    _record(fair, inside, "removed", post="", actor=alice)
    assert _inbox(dora) == [("招聘会录用通知", HIRED), ("招聘会洽谈结果更正", TAKEN_BACK)]
    # The hire's text had not gone yet: the correction replaces it, the wrong news never goes out.
    assert _texts() == [(f"【湘潭就业】{TAKEN_BACK}{LINK}", SmsStatus.PENDING)]
    # Taken back again, by mistake: recorded as hired once more, it is news again.
    _record(fair, inside, "hired", actor=alice)
    assert [title for title, _body in _inbox(dora)][-1] == "招聘会录用通知"


def test_lowering_a_hire_to_an_intention_sends_no_good_news(fair, inside, dora, alice):
    _record(fair, inside, "hired", actor=alice)
    _record(fair, inside, "intention", actor=alice)
    titles = [title for title, _body in _inbox(dora)]
    assert titles == ["招聘会录用通知", "招聘会洽谈结果更正"]
    assert _inbox(dora)[1][1] == (
        "更正：您在「雨湖春季专场招聘会」和湘潭电机配件厂的洽谈结果记错了，现在是「达成意向」。"
        "有疑问请打 0731-58533441。"
    )
    assert not any(body == INTENTION for _title, body in _inbox(dora))
    _record(fair, inside, "intention", actor=alice)  # the same again: nothing new
    assert len(_inbox(dora)) == 2


def test_a_walk_in_without_an_account_is_texted_with_how_to_log_in(fair, frozen_clock, alice):
    frozen_clock.move_to(FAIR_DAY)
    data = WalkInInput(name="钱桂花", phone="13977778888", birth_year=1970, skill_ids=(), paper_consent=True)
    result, _created = fair_walk_in(fair=fair, data=data, actor=alice)
    _record(fair, result.signup, "interview", actor=alice)
    (sms,) = SmsOutbox.objects.filter(purpose="fair_outcome")
    assert sms.phone == "13977778888" and sms.text.endswith("第一次登录请在网站选“用短信验证码登录”，填这个手机号。")
    assert INTERVIEW in sms.text
    assert not InboxMessage.objects.filter(dedupe_key__startswith="fairbooth:").exists()


def test_staff_on_the_english_page_still_send_chinese(client, fair, inside, dora, alice):
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    exhibitor = fair.exhibitors.get(booth="B12")
    response = client.post(
        f"/fairs/{fair.pk}/booths/{exhibitor.pk}/",
        {"code": inside.code, "result": "hired", "posting": fair.p["welder"].pk},
        follow=True,
    )
    assert page(response).find("h1") is not None
    assert _inbox(dora) == [("招聘会录用通知", HIRED)]
    assert Match.objects.get(posting=fair.p["welder"]).status == "hired"
