"""Check-in at the door: staff of the organising site only; a ticket checks in once; a repeat,
another day, another fair, a cancelled or unknown code each say so and change nothing; the
check-in counts as a person-time (core.ServiceRecord) and in the fair KPI, the day as an event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fairs.enums import SignupStatus
from fairs.models import FairSignup
from fairs.services import signup_cancel, signup_create
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory, UserFactory
from tests.fairs.conftest import make_fair
from tests.fairs.html import page
from xiangtan_jobs.core.models import Area, ServiceRecord, SiteEvent
from xiangtan_jobs.dashboard.kpis import CITY, Period, Scope, kpi_breakdown

pytestmark = pytest.mark.django_db


def _at_fair_day(frozen_clock, days: int = 3) -> None:
    frozen_clock.move_to(NOON + dt.timedelta(days=days))


def _check_in(client, fair, code: str):
    response = client.post(f"/fairs/{fair.pk}/checkin/", {"code": code})
    p = page(response)
    box = p.find("div", class_="checkin-result")
    return box.find("p", class_="checkin-words").text() if box else None, p


def _total(code: str, scope: Scope = CITY) -> int:
    period = Period(TODAY, TODAY + dt.timedelta(days=30))
    return sum(v for *_k, v in kpi_breakdown(code, period, scope))


def test_valid_then_repeated(client, frozen_clock, fair, seeker, dora, alice, yuhu):
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    _at_fair_day(frozen_clock)
    client.force_login(alice)
    words, p = _check_in(client, fair, signup.code_display.lower())  # typed loosely
    assert words == "签到成功"
    assert p.find("p", class_="meta").text() == "今天已签到 1 人 / 报名 1 人"
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CHECKED_IN and signup.checked_in_by == alice
    record = ServiceRecord.objects.get()
    assert (record.service_point, record.seeker, record.served_by) == (yuhu, seeker, alice)
    assert signup.service_record == record
    words, p = _check_in(client, fair, signup.code)
    assert words == "这张入场码已经签到过了"
    assert "12:00 已签到" in p.find("div", class_="checkin-result").text()
    assert ServiceRecord.objects.count() == 1
    # One person-time served at the site, one fair check-in.
    assert _total("served", Scope(site_id=yuhu.pk)) == 1
    assert _total("fair_checkins", Scope(site_id=yuhu.pk)) == 1


def test_wrong_day_cancelled_unknown_other_fair(client, frozen_clock, fair, seeker, dora, alice, yuhu):
    tomorrow = signup_create(session=fair.sessions.last(), seeker=seeker, actor=dora)
    other = SeekerFactory(user=UserFactory())
    cancelled = signup_create(session=fair.sessions.first(), seeker=other, actor=other.user)
    signup_cancel(signup=cancelled, actor=other.user)
    elsewhere = make_fair(site=yuhu, title="另一场", days=(3,))
    foreign = signup_create(session=elsewhere.sessions.get(), seeker=seeker, actor=dora)
    _at_fair_day(frozen_clock)
    client.force_login(alice)
    words, p = _check_in(client, fair, tomorrow.code)
    assert words == "这张入场码不是今天的"
    d = tomorrow.session.date
    assert f"报名的是 {d.month}月{d.day}日" in p.find("div", class_="checkin-result").text()
    assert _check_in(client, fair, cancelled.code)[0] == "这张入场码的报名已取消"
    assert _check_in(client, fair, "ZZZZ-ZZZZ-ZZZZ")[0] == "没有这个入场码"
    assert _check_in(client, fair, foreign.code)[0] == "这张入场码不是本场招聘会的"
    assert not FairSignup.objects.filter(status=SignupStatus.CHECKED_IN).exists()
    assert not ServiceRecord.objects.exists()
    # An empty box is a field error in words, not a 500.
    _words, p = _check_in(client, fair, "")
    assert p.find("p", class_="error").text() == "请输入入场码或扫描入场券上的二维码"


def test_no_check_in_on_another_day(client, frozen_clock, fair, seeker, dora, alice):
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    client.force_login(alice)  # today is TODAY; the fair is on TODAY + 3
    p = page(client.get(f"/fairs/{fair.pk}/checkin/"))
    assert p.find("p", class_="notice").text() == "今天不是这场招聘会的举办日，不能签到"
    assert _check_in(client, fair, signup.code)[0] == "今天不是这场招聘会的举办日，不能签到"
    signup.refresh_from_db()
    assert signup.status == SignupStatus.SIGNED_UP


def test_only_the_organising_sites_staff(client, frozen_clock, fair, alice, bob, charlie, dora, seeker):
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    _at_fair_day(frozen_clock)
    url = f"/fairs/{fair.pk}/checkin/"
    assert client.get(url).status_code == 302
    for user in (bob, charlie, dora):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"code": signup.code}).status_code == 403
    signup.refresh_from_db()
    assert signup.status == SignupStatus.SIGNED_UP
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_bureau_fair_checked_in_by_the_bureau(client, frozen_clock, seeker, dora, alice, charlie, yuhu):
    fair = make_fair(title="全市专场", days=(3,))  # the bureau's own: no site
    signup = signup_create(session=fair.sessions.get(), seeker=seeker, actor=dora)
    _at_fair_day(frozen_clock)
    client.force_login(alice)
    assert client.get(f"/fairs/{fair.pk}/checkin/").status_code == 403
    client.force_login(charlie)
    assert _check_in(client, fair, signup.code)[0] == "签到成功"
    # docs/kpis.md: a city fair belongs to no site; its check-in is a person-time and its day an
    # event held in the city and in the fair's district (雨湖区), and in no site's figures.
    record = ServiceRecord.objects.get()
    assert (record.service_point, record.area, record.seeker) == (None, fair.area, seeker)
    district = Scope(district_id=fair.area.parent_id)
    assert _total("fair_checkins") == 1
    assert (_total("served"), _total("served", district), _total("served", Scope(site_id=yuhu.pk))) == (1, 1, 0)
    event = SiteEvent.objects.get()
    assert (event.service_point, event.area, event.attendance) == (None, fair.area, 1)
    frozen_clock.move_to(NOON + dt.timedelta(days=4))  # the day is over: held
    assert (_total("events"), _total("events", district), _total("events", Scope(site_id=yuhu.pk))) == (1, 1, 0)
    other_district = Scope(district_id=Area.objects.get(name="岳塘区").pk)
    assert (_total("served", other_district), _total("events", other_district)) == (0, 0)


def test_the_day_is_an_event_held_once_over(client, frozen_clock, fair, seeker, dora, alice, yuhu):
    signup = signup_create(session=fair.sessions.first(), seeker=seeker, actor=dora)
    _at_fair_day(frozen_clock)
    client.force_login(alice)
    _check_in(client, fair, signup.code)
    event = SiteEvent.objects.get()
    assert (event.service_point, event.attendance, event.employer_count, event.post_count) == (yuhu, 1, 2, 3)
    assert event.fair_session == fair.sessions.first()
    assert _total("events", Scope(site_id=yuhu.pk)) == 0  # not over yet
    frozen_clock.move_to(NOON + dt.timedelta(days=4))
    assert _total("events", Scope(site_id=yuhu.pk)) == 1


def test_door_page_is_light_and_loads_the_qr_reader_only_on_demand(client, frozen_clock, fair, alice):
    from django.contrib.staticfiles import finders

    _at_fair_day(frozen_clock)
    client.force_login(alice)
    response = client.get(f"/fairs/{fair.pk}/checkin/")
    p = page(response)
    scripts = [s["src"] for s in p.find_all("script") if s.get("src")]
    styles = [lnk["href"] for lnk in p.find_all("link") if lnk.get("rel") == "stylesheet"]
    assert scripts == ["/static/js/fairs-scan.js"]
    assert p.find("button", **{"data-reader": "/static/vendor/jsqr/jsQR.js"}) is not None
    weight = len(response.content) + sum(
        Path(finders.find(url.removeprefix("/static/"))).stat().st_size for url in scripts + styles
    )
    assert weight < 150_000
