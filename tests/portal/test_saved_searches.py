"""Saved searches and their alerts: saved from the job list, matched by the list's own filters, told
once a day (inbox + SMS through the one outbox), never at night, only what is new since the last
alert, each with an unsubscribe link that works without logging in."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from tests.clock import NOON
from tests.factories import PostingFactory, SeekerFactory, street
from xiangtan_jobs.core.enums import SeekerStatus, WorkType
from xiangtan_jobs.core.models import Area, InboxMessage, SavedSearch, SmsOutbox
from xiangtan_jobs.portal.alerts import (
    ALERT_SETTLE,
    saved_search_create,
    saved_search_query,
    saved_search_token,
    saved_searches_alert,
)
from xiangtan_jobs.portal.filters import PostingFilter

# The public-posting filter reads the date; the clock is frozen at tests.clock.NOON, so the suite
# passes with the machine clock moved (make test-clock).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.NOTIFY_QUIET_HOURS = "21-8"
    settings.PUBLIC_URL = "https://jobs.example"


HOUR = dt.timedelta(hours=1)


@pytest.fixture
def seeker(dora):
    return SeekerFactory(user=dora, phone="13800138000")


@pytest.fixture
def yuhu_district():
    return street().parent


@pytest.fixture
def other_street(yuhu_district):
    return Area.objects.filter(parent__isnull=False).exclude(parent=yuhu_district).order_by("id").first()


def _save(user, query: str, at: dt.datetime, label: str = "保洁 · 雨湖区") -> SavedSearch:
    from django.http import QueryDict

    return saved_search_create(user=user, data=QueryDict(query), label=label, now=at)


def _posting(at: dt.datetime, **kwargs):
    with time_machine.travel(at, tick=False):
        return PostingFactory(published_at=at, **kwargs)


def _alerts(user) -> list[InboxMessage]:
    return list(InboxMessage.objects.filter(user=user, dedupe_key__startswith="alert:").order_by("id"))


def _texts(phone: str = "13800138000") -> list[str]:
    return [row.text for row in SmsOutbox.objects.filter(purpose="saved_search").order_by("id") if row.phone == phone]


class _Forms(HTMLParser):
    """The forms of a page: action and their hidden inputs' values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or ""})
        elif tag == "input" and self.forms and a.get("type") == "hidden" and a.get("name") != "csrfmiddlewaretoken":
            self.forms[-1][a["name"]] = a.get("value") or ""


def _forms(response) -> list[dict[str, str]]:
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


# --- Saving and deleting -------------------------------------------------------------------------


def test_the_query_is_normalised_and_keeps_only_what_filters(yuhu_district):
    from django.http import QueryDict

    one = saved_search_query(QueryDict(f"q=保洁&district={yuhu_district.pk}&sort=wage&cursor=abc&days=3"))
    two = saved_search_query(QueryDict(f"district={yuhu_district.pk}&q=保洁&size=50"))
    assert one == two
    assert QueryDict(one).dict() == {"district": str(yuhu_district.pk), "q": "保洁"}
    assert saved_search_query(QueryDict("district=abc&sort=new")) == ""  # nothing that validates


def test_a_logged_in_seeker_saves_the_current_search_from_the_list_and_sees_it_on_me(
    client, dora, seeker, yuhu_district, frozen_clock
):
    client.force_login(dora)
    page = client.get(f"/jobs/?q=保洁&district={yuhu_district.pk}&work_type=day")
    [form] = [f for f in _forms(page) if f["action"] == "/me/searches/"]
    response = client.post("/me/searches/", {"query": form["query"]}, follow=True)
    search = SavedSearch.objects.get(user=dora)
    assert search.label == "关键词：保洁、雨湖区、日结零工"
    assert search.alerted_until == NOON  # only what is published from now on is told
    assertContains(response, "已订阅「关键词：保洁、雨湖区、日结零工」", html=False)
    me = client.get("/me/")
    assertContains(
        me,
        f'<a href="/jobs/?{search.query.replace("&", "&amp;")}&amp;sort=new">关键词：保洁、雨湖区、日结零工</a>',
        html=True,
    )
    # Saving the same search again keeps one.
    client.post("/me/searches/", {"query": form["query"]})
    assert SavedSearch.objects.filter(user=dora).count() == 1
    client.post(f"/me/searches/{search.pk}/delete/", {"confirm": "yes"})
    assert not SavedSearch.objects.filter(user=dora).exists()


def test_the_list_offers_saving_only_a_real_search_and_logged_out_readers_a_login(client, dora, seeker):
    assertNotContains(client.get("/jobs/"), "订阅这个搜索")
    logged_out = client.get("/jobs/?q=保洁")
    assertContains(logged_out, "登录后可以订阅这个搜索")
    assert not [f for f in _forms(logged_out) if f["action"] == "/me/searches/"]
    client.force_login(dora)
    assert [f for f in _forms(client.get("/jobs/?q=保洁")) if f["action"] == "/me/searches/"]


def test_an_empty_search_is_refused_in_words_and_another_users_search_cannot_be_deleted(client, dora, seeker):
    client.force_login(dora)
    response = client.post("/me/searches/", {"query": "sort=new"}, follow=True)
    assertContains(response, "先输入想做的工作或选一个筛选条件，再订阅。")
    assert not SavedSearch.objects.exists()
    from tests.factories import UserFactory

    someone = UserFactory()
    theirs = _save(someone, "q=保洁", NOON)
    assert client.post(f"/me/searches/{theirs.pk}/delete/", {"confirm": "yes"}).status_code == 404
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


# --- The alerts ---------------------------------------------------------------------------------


def test_new_matching_postings_arrive_once_a_day_as_one_message_and_one_sms(dora, seeker, yuhu_district, yuhu):
    search = _save(dora, f"q=保洁&district={yuhu_district.pk}", NOON - 3 * HOUR)
    _posting(NOON - 2 * HOUR, title="小区保洁员", service_point=yuhu)
    _posting(NOON - HOUR, title="商场保洁", service_point=yuhu)
    assert saved_searches_alert(now=NOON) == 1
    [message] = _alerts(dora)
    assert message.title == "您订阅的搜索有 2 个新岗位"
    assert "商场保洁（180–220 元/天）；小区保洁员（180–220 元/天）" in message.body
    [sms] = _texts()
    assert sms.startswith("【湘潭就业】「保洁 · 雨湖区」有新岗位：商场保洁")
    assert f"https://jobs.example/alerts/off/{saved_search_token(search=search)}/" in sms
    # Later the same day: another new posting waits for tomorrow, whatever runs again.
    _posting(NOON + HOUR, title="家政保洁", service_point=yuhu)
    assert saved_searches_alert(now=NOON + 2 * HOUR) == 0
    assert saved_searches_alert(now=NOON + 5 * HOUR) == 0
    assert len(_alerts(dora)) == 1 and len(_texts()) == 1
    # The next morning it comes, alone: only what is new since the last alert.
    assert saved_searches_alert(now=NOON + 21 * HOUR) == 1
    second = _alerts(dora)[1]
    assert second.title == "您订阅的搜索有 1 个新岗位"
    assert "家政保洁" in second.body and "小区保洁员" not in second.body
    assert len(_texts()) == 2


def test_the_list_filters_are_honoured(dora, seeker, yuhu_district, other_street, yuhu):
    _save(dora, f"q=保洁&district={yuhu_district.pk}&work_type=day", NOON - 3 * HOUR)
    _posting(NOON - 2 * HOUR, title="电工", skills=[("电工", True, 1)], service_point=yuhu)  # keyword
    _posting(NOON - 2 * HOUR, title="小区保洁员", area=other_street, service_point=yuhu)  # district
    _posting(NOON - 2 * HOUR, title="写字楼保洁", work_type=WorkType.FULL, service_point=yuhu)  # work type
    _posting(NOON - 4 * HOUR, title="老保洁岗位", service_point=yuhu)  # before the search was saved
    assert saved_searches_alert(now=NOON) == 0
    assert not _alerts(dora)
    _posting(NOON - HOUR, title="家庭保洁", service_point=yuhu)
    assert saved_searches_alert(now=NOON) == 1
    [message] = _alerts(dora)
    assert message.title == "您订阅的搜索有 1 个新岗位"
    assert "家庭保洁" in message.body


def test_matching_is_the_job_lists_own_filter(dora, seeker, yuhu_district, other_street, yuhu, monkeypatch):
    """Change what the list's district filter means, and the alerts follow: one definition."""
    _save(dora, f"district={yuhu_district.pk}", NOON - 3 * HOUR)
    _posting(NOON - HOUR, title="小区保洁员", area=other_street, service_point=yuhu)
    monkeypatch.setattr(PostingFilter, "filter_district", lambda self, qs, name, value: qs)
    assert saved_searches_alert(now=NOON) == 1


def test_nothing_during_the_quiet_hours_and_the_morning_run_tells(dora, seeker, yuhu):
    _save(dora, "q=保洁", NOON - 3 * HOUR)
    _posting(NOON + 8 * HOUR, title="夜班保洁", service_point=yuhu)  # 20:00
    night = NOON + 10 * HOUR  # 22:00
    assert saved_searches_alert(now=night) == 0
    assert saved_searches_alert(now=night + 4 * HOUR) == 0  # 02:00
    assert not _alerts(dora) and not _texts()
    morning = NOON + 20 * HOUR + dt.timedelta(minutes=40)  # 08:40
    assert saved_searches_alert(now=morning) == 1
    [sms] = SmsOutbox.objects.filter(purpose="saved_search")
    assert sms.send_after == morning  # sent at once, not held: it is day


def test_a_paused_seeker_gets_nothing(dora, seeker, yuhu):
    _save(dora, "q=保洁", NOON - 3 * HOUR)
    _posting(NOON - HOUR, title="小区保洁员", service_point=yuhu)
    seeker.status = SeekerStatus.PAUSED
    seeker.save()
    assert saved_searches_alert(now=NOON) == 0
    assert not _alerts(dora)


def test_a_posting_published_just_before_the_run_waits_for_the_next_one(dora, seeker, yuhu):
    _save(dora, "q=保洁", NOON - 3 * HOUR)
    _posting(NOON - ALERT_SETTLE / 2, title="小区保洁员", service_point=yuhu)
    assert saved_searches_alert(now=NOON) == 0
    assert saved_searches_alert(now=NOON + HOUR) == 1


# --- Unsubscribing -----------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_login_and_a_get_changes_nothing(client, dora, seeker, yuhu):
    search = _save(dora, "q=保洁", NOON - 3 * HOUR)
    _posting(NOON - HOUR, title="小区保洁员", service_point=yuhu)
    saved_searches_alert(now=NOON)
    [sms] = _texts()
    path = re.search(r"https://jobs\.example(/alerts/off/\S+/)", sms).group(1)
    page = client.get(path)
    assertContains(page, "退订后，「保洁 · 雨湖区」有新岗位时不再发站内信和短信给您。")
    assert SavedSearch.objects.filter(pk=search.pk).exists()  # a link preview unsubscribes nobody
    done = client.post(path)
    assertContains(done, "已退订「保洁 · 雨湖区」，不会再收到它的站内信和短信。")
    assert not SavedSearch.objects.filter(pk=search.pk).exists()
    # Tapped again: it says so; and nothing is sent any more.
    assertContains(client.get(path), "这个提醒已经退订了，不会再收到。")
    _posting(NOON + 20 * HOUR, title="商场保洁", service_point=yuhu)
    assert saved_searches_alert(now=NOON + 22 * HOUR) == 0


def test_a_forged_or_altered_token_is_refused(client, dora, seeker):
    search = _save(dora, "q=保洁", NOON)
    token = saved_search_token(search=search)
    other = _save(dora, "q=电工", NOON)
    forged = f"{other.pk}:{token.split(':', 1)[1]}"
    assert client.get(f"/alerts/off/{forged}/").status_code == 404
    assert client.post(f"/alerts/off/{forged}/").status_code == 404
    assert client.get(f"/alerts/off/{search.pk}/").status_code == 404
    assert SavedSearch.objects.filter(pk__in=[search.pk, other.pk]).count() == 2


def test_the_inbox_message_carries_a_working_unsubscribe_link(client, dora, seeker, yuhu):
    search = _save(dora, "q=保洁", NOON - 3 * HOUR)
    _posting(NOON - HOUR, title="小区保洁员", service_point=yuhu)
    saved_searches_alert(now=NOON)
    client.force_login(dora)
    url = f"https://jobs.example/alerts/off/{saved_search_token(search=search)}/"
    assertContains(client.get("/me/messages/"), f'<a href="{url}" rel="nofollow">{url}</a>', html=True)
