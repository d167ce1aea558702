"""My page: recommendations with reasons, applying, pausing, editing, data download and deletion;
and the job detail page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from matching.enums import MatchStatus
from matching.models import Match
from matching.presenters import reasons_in_words
from tests.factories import PostingFactory, SeekerFactory, skill, street
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus
from xiangtan_jobs.core.models import InboxMessage, SeekerRegistration, User

pytestmark = pytest.mark.django_db

REASONS = [
    {"name": "skills", "points": 40.0, "detail": {"matched": [{"skill": "保洁员", "how": "exact"}]}},
    {"name": "distance", "points": 18.2, "detail": {"km": 2.3}},
    {"name": "wage", "points": 12.0, "detail": {"wage": 200, "unit": "day", "expected": 180, "expected_unit": "day"}},
]


def test_reasons_in_words():
    assert reasons_in_words(REASONS) == ["技能匹配: 保洁员 ✓", "距离 2.3 公里", "日薪 200 元 ≥ 期望 180 元"]


def test_reasons_in_words_other_shapes():
    assert reasons_in_words(
        [
            {
                "name": "skills",
                "detail": {"matched": [{"skill": "护工", "how": "alias"}, {"skill": "保洁员", "how": "category"}]},
            },
            {"name": "wage", "detail": {"wage": 25, "unit": "hour", "expected": 5000, "expected_unit": "month"}},
            {"name": "wage", "detail": {"wage": 150, "unit": "day", "expected": 180, "expected_unit": "day"}},
            {"name": "suitability", "detail": {"flags": ["older_ok", "bogus"]}},
            {"name": "freshness", "detail": {"days": 3}},
        ]
    ) == [
        "相近技能: 护工 ✓",
        "同类工作: 保洁员",
        "时薪 25 元（期望 5000 元/月）",
        "日薪 150 元 < 期望 180 元",
        "欢迎大龄劳动者",
        "3 天前发布",
    ]


def test_reasons_in_words_say_each_skill_once_and_round_wages():
    assert reasons_in_words(
        [
            {
                "name": "skills",
                "detail": {
                    "matched": [
                        {"skill": "电商客服", "how": "exact"},
                        {"skill": "电商客服", "how": "category"},
                        {"skill": "保洁员", "how": "category"},
                        {"skill": "保洁员", "how": "category"},
                    ]
                },
            },
            {"name": "wage", "detail": {"wage": 150, "unit": "day", "expected": 183.91, "expected_unit": "day"}},
            {"name": "wage", "detail": {"wage": 12.5, "unit": "hour", "expected": 12.25, "expected_unit": "hour"}},
        ]
    ) == ["技能匹配: 电商客服 ✓", "同类工作: 保洁员", "日薪 150 元 < 期望 184 元", "时薪 12.5 元 ≥ 期望 12.2 元"]


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "text",
        3,
        [None, 1, "x"],
        [{"name": "skills"}],
        [{"name": "distance", "detail": {"km": "far"}}],
        [{"name": "wage", "detail": {"wage": float("nan"), "unit": "day"}}],
        [{"name": "unknown", "detail": {}}],
    ],
)
def test_reasons_in_words_never_raises(junk):
    assert reasons_in_words(junk) == []


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone="13800138000")


@pytest.fixture
def logged_in(client, dora, seeker):
    client.force_login(dora)
    return client


def test_my_page_shows_recommendations_with_reasons(logged_in, seeker):
    good = PostingFactory(title="小区保洁员")
    worse = PostingFactory(title="医院保洁")
    closed = PostingFactory(title="已关闭保洁", status=PostingStatus.CLOSED, closed_at=timezone.now())
    Match.objects.create(posting=good, seeker=seeker, score=80, reasons=REASONS)
    Match.objects.create(posting=worse, seeker=seeker, score=50, reasons=[])
    Match.objects.create(posting=closed, seeker=seeker, score=90, reasons=[])
    body = logged_in.get("/me/").content.decode()
    assert body.index("小区保洁员") < body.index("医院保洁")
    assert "已关闭保洁" not in body
    for line in ["技能匹配: 保洁员 ✓", "距离 2.3 公里", "日薪 200 元 ≥ 期望 180 元"]:
        assert line in body


def test_my_page_explains_matches_a_full_rematch_left_without_reasons(logged_in, seeker):
    """A full rematch stores matches without reasons; the page asks the engine for them."""
    match = Match.objects.create(posting=PostingFactory(title="小区保洁员"), seeker=seeker, score=80, reasons=[])
    body = logged_in.get("/me/").content.decode()
    assert "技能匹配: 保洁员 ✓" in body
    match.refresh_from_db()
    assert match.reasons  # kept, so the next visit does not explain it again


def test_apply_once_only(logged_in, seeker):
    posting = PostingFactory()
    response = logged_in.post(f"/me/apply/{posting.pk}/")
    assert response.status_code == 302
    match = Match.objects.get(posting=posting, seeker=seeker)
    assert match.status == MatchStatus.APPLIED
    logged_in.post(f"/me/apply/{posting.pk}/")
    assert Match.objects.filter(posting=posting, seeker=seeker).count() == 1
    body = logged_in.get(f"/jobs/{posting.pk}/").content.decode()
    assert "您已经申请过这个岗位" in body
    assert "已申请" in logged_in.get("/me/").content.decode()


def test_apply_twice_says_so(logged_in, seeker):
    posting = PostingFactory()
    logged_in.post(f"/me/apply/{posting.pk}/")
    response = logged_in.post(f"/me/apply/{posting.pk}/", follow=True)
    assert "您已经申请过这个岗位了" in response.content.decode()


def test_apply_to_closed_posting_is_refused(logged_in, seeker):
    posting = PostingFactory(status=PostingStatus.FILLED, closed_at=timezone.now())
    response = logged_in.post(f"/me/apply/{posting.pk}/", follow=True)
    assert "停止招聘" in response.content.decode()
    assert not Match.objects.filter(posting=posting).exists()
    expired = PostingFactory(expires_on=timezone.localdate() - dt.timedelta(days=1))
    logged_in.post(f"/me/apply/{expired.pk}/")
    assert not Match.objects.filter(posting=expired).exists()


def test_closed_posting_page_says_so_and_has_no_apply_button(client, ref):
    posting = PostingFactory(status=PostingStatus.FILLED, closed_at=timezone.now())
    body = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "这个岗位已经招满了" in body
    assert "申请这个岗位" not in body


def test_job_detail_shows_what_where_and_who_helps(client, ref, yuhu, dora, seeker):
    posting = PostingFactory(service_point=yuhu, lat=27.90, lng=112.915, shifts=["weekend"])
    client.force_login(dora)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "13800138000", "password": "pass-12345"})
    body = client.get(f"/jobs/{posting.pk}/").content.decode()
    for text in ["180–220 元/天", "保洁员", "周末", "雨湖零工市场", f"/markets/{yuhu.pk}/", "离您家约 3.4 公里"]:
        assert text in body, text


def test_apply_needs_login_and_registration(client, ref, dora):
    posting = PostingFactory()
    assert client.post(f"/me/apply/{posting.pk}/")["Location"].startswith("/accounts/login/")
    client.force_login(dora)
    assert client.post(f"/me/apply/{posting.pk}/")["Location"] == f"/register/?next=%2Fme%2Fapply%2F{posting.pk}%2F"


def test_withdraw_application(logged_in, seeker):
    posting = PostingFactory()
    logged_in.post(f"/me/apply/{posting.pk}/")
    match = Match.objects.get(posting=posting)
    logged_in.post(f"/me/applications/{match.pk}/withdraw/", {"confirm": "yes"})
    match.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN


def test_pause_and_resume(logged_in, seeker, django_capture_on_commit_callbacks):
    posting = PostingFactory()
    Match.objects.create(posting=posting, seeker=seeker, score=80, reasons=REASONS)
    with django_capture_on_commit_callbacks() as callbacks:
        logged_in.post("/me/pause/", {"paused": "1"})
    assert len(callbacks) == 1
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.PAUSED
    body = logged_in.get("/me/").content.decode()
    assert "暂停求职期间不推荐工作" in body and "技能匹配" not in body
    logged_in.post(f"/me/apply/{posting.pk}/")
    assert Match.objects.get(posting=posting).status == MatchStatus.RECOMMENDED  # paused: no applying
    logged_in.post("/me/pause/", {"paused": "0"})
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.ACTIVE


def test_edit_registration(logged_in, seeker, django_capture_on_commit_callbacks):
    yuetang = street("岳塘街道")
    data = {
        "person-name": "王秀兰",
        "person-birth_year": "1980",
        "person-town": str(yuetang.pk),
        "person-id_number": "",
        "skills-skill_1": str(skill("护工").pk),
        "skills-level_1": "4",
        "skills-years_1": "2",
        "skills-skill_2": str(skill("保洁员").pk),
        "skills-level_2": "2",
        "wishes-expected_wage": "",
        "wishes-expected_unit": "day",
        "wishes-travel_km": "5",
        "action": "save",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = logged_in.post("/me/edit/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert len(callbacks) == 1
    seeker.refresh_from_db()
    assert seeker.name == "王秀兰" and seeker.area == yuetang and seeker.travel_km == 5
    assert (seeker.home_lat, seeker.home_lng) == (yuetang.lat, yuetang.lng)
    assert sorted(s.skill.name for s in seeker.seeker_skills.all()) == ["保洁员", "护工"]
    bad = logged_in.post("/me/edit/", {**data, "person-birth_year": "1800", "wishes-expected_wage": "x"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "出生年份应在 1930" in body and "工资请填数字" in body
    assert 'value="王秀兰"' in body


def test_data_download_contains_everything(logged_in, seeker, dora):
    posting = PostingFactory()
    logged_in.post(f"/me/apply/{posting.pk}/")
    InboxMessage.objects.create(user=dora, title="有新的推荐")
    logged_in.post("/me/searches/", {"query": "q=保洁"})
    response = logged_in.get("/me/data/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["registration"]["phone"] == "13800138000"
    assert data["skills"][0]["skill"] == "保洁员"
    assert data["matches"][0]["status"] == "applied"
    assert data["inbox"][0]["title"] == "有新的推荐"
    assert [(s["label"], s["query"]) for s in data["saved_searches"]] == [("关键词：保洁", "q=%E4%BF%9D%E6%B4%81")]


def test_delete_my_data(logged_in, seeker, dora):
    posting = PostingFactory()
    logged_in.post(f"/me/apply/{posting.pk}/")
    response = logged_in.post("/me/delete/")
    assert response.status_code == 200 and "请勾选" in response.content.decode()
    response = logged_in.post("/me/delete/", {"confirm": "yes"})
    assert response["Location"] == "/"
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.WITHDRAWN
    assert seeker.name == "已注销" and seeker.phone == "erased" and not seeker.id_number
    assert seeker.phone_digest == "" and seeker.user_id is None
    assert not User.objects.filter(pk=dora.pk).exists()
    assert not seeker.history.exclude(name="已注销").exists()
    assert Match.objects.get(posting=posting).status == MatchStatus.WITHDRAWN
    assert logged_in.get("/me/")["Location"].startswith("/accounts/login/")
    # The person may register again with the same phone.
    assert not SeekerRegistration.objects.current().by_phone("13800138000").exists()


def test_messages_are_marked_read(logged_in, dora):
    InboxMessage.objects.create(user=dora, title="面试通知", body="明天上午 9 点")
    assert "面试通知" in logged_in.get("/me/messages/").content.decode()
    assert InboxMessage.objects.get().read_at is not None


def test_my_page_needs_login(client, ref):
    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_apply_before_login_comes_back_to_the_job_not_a_blank_page(client, dora, seeker):
    posting = PostingFactory()
    response = client.post(f"/me/apply/{posting.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next=/me/apply/{posting.pk}/"
    client.force_login(dora)
    response = client.get(f"/me/apply/{posting.pk}/")  # where the login page sends the reader
    assert response.status_code == 200 and "<h1>确认申请</h1>" in response.content.decode()  # the confirm step
    assert not Match.objects.filter(posting=posting, seeker=seeker).exists()  # nothing applied on a GET
