"""Rate limits of the door's check-in (fairs.views.DOOR_RATES): a stolen staff session cannot try
ticket codes by the thousand, a real door rush is never held up, and a refusal says so in Chinese
and looks nothing up."""

from __future__ import annotations

import datetime as dt

import pytest

from fairs import views
from fairs.enums import SignupStatus
from fairs.models import FairSignup
from tests.clock import NOON
from tests.factories import SeekerFactory
from tests.fairs.html import page
from xiangtan_jobs.core.enums import MembershipRole, UserRole
from xiangtan_jobs.core.models import OperatorMembership

pytestmark = pytest.mark.django_db

FAIR_DAY = NOON + dt.timedelta(days=3)


def _tickets(fair, n: int) -> list[FairSignup]:
    session = fair.sessions.order_by("date").first()
    return FairSignup.objects.bulk_create([FairSignup(session=session, seeker=SeekerFactory()) for _ in range(n)])


def _post(client, fair, code: str):
    response = client.post(f"/fairs/{fair.pk}/checkin/", {"code": code})
    p = page(response, status=response.status_code)
    box = p.find("div", class_="checkin-result")
    refused = p.find("p", class_="checkin-refused")
    return (
        response.status_code,
        box.find("p", class_="checkin-words").text() if box else None,
        refused.text() if refused else None,
    )


def _unknown(i: int) -> str:
    return f"ZZZZ-ZZZZ-{i:04d}"


def test_a_door_rush_of_hundreds_an_hour_is_never_held_up(client, frozen_clock, fair, alice):
    """One staff member, a ticket every 6 seconds for 20 minutes (600 an hour, faster than a real
    door), with the odd mistyped code: every ticket checks in."""
    tickets = _tickets(fair, 200)
    frozen_clock.move_to(FAIR_DAY)
    client.force_login(alice)
    for i, ticket in enumerate(tickets):
        if i % 20 == 10:  # a typo now and then, retyped at once
            assert _post(client, fair, _unknown(i))[:2] == (200, "没有这个入场码")
        assert _post(client, fair, ticket.code)[:2] == (200, "签到成功")
        frozen_clock.shift(dt.timedelta(seconds=6))
    assert FairSignup.objects.filter(status=SignupStatus.CHECKED_IN).count() == 200


def test_guessing_codes_is_refused_after_twenty_misses_and_looks_nothing_up(client, frozen_clock, fair, alice):
    (ticket,) = _tickets(fair, 1)
    frozen_clock.move_to(FAIR_DAY)
    client.force_login(alice)
    # The clock stands still: the tries fall in one window of the fixed-window counter.
    for i in range(20):
        assert _post(client, fair, _unknown(i))[:2] == (200, "没有这个入场码")
    status, words, refused = _post(client, fair, ticket.code)
    assert (status, words) == (429, None)
    assert refused == (
        "输错或不是本场的入场码太多了。为防止有人猜入场码，请 10 分钟后再试；"
        "着急的话，可以先用下面的「没有入场码：现场登记并签到」。"
    )
    ticket.refresh_from_db()
    assert ticket.status == SignupStatus.SIGNED_UP  # refused before any lookup
    # The wait over (the next window), the real ticket goes through.
    frozen_clock.shift(dt.timedelta(minutes=10))
    assert _post(client, fair, ticket.code)[:2] == (200, "签到成功")


def test_too_many_posts_a_minute_from_one_account_are_refused(client, frozen_clock, fair, alice):
    tickets = _tickets(fair, 31)
    frozen_clock.move_to(FAIR_DAY.replace(second=0))
    client.force_login(alice)
    for ticket in tickets[:30]:
        assert _post(client, fair, ticket.code)[:2] == (200, "签到成功")
    status, _words, refused = _post(client, fair, tickets[30].code)
    assert status == 429
    assert refused == "签到提交得太快了：这个账号或这个网络一分钟内提交的入场码太多。请等一分钟再扫。"
    assert FairSignup.objects.filter(status=SignupStatus.CHECKED_IN).count() == 30


def test_one_address_is_limited_across_staff_accounts(
    client, frozen_clock, fair, alice, yuhu, monkeypatch, django_user_model
):
    monkeypatch.setitem(views.DOOR_RATES, "ip", "3/m")
    second = django_user_model.objects.create_user("erin", password="pass-12345", role=UserRole.OPERATOR, is_staff=True)
    OperatorMembership.objects.create(user=second, service_point=yuhu, role=MembershipRole.OPERATOR)
    tickets = _tickets(fair, 4)
    frozen_clock.move_to(FAIR_DAY.replace(second=0))
    for ticket, staff in zip(tickets[:3], (alice, second, alice), strict=True):
        client.force_login(staff)
        assert _post(client, fair, ticket.code)[:2] == (200, "签到成功")
    client.force_login(second)
    assert _post(client, fair, tickets[3].code)[0] == 429


def test_the_english_door_says_why_it_refused(client, frozen_clock, fair, alice, monkeypatch):
    monkeypatch.setitem(views.DOOR_RATES, "user", "1/m")
    frozen_clock.move_to(FAIR_DAY.replace(second=0))
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _post(client, fair, _unknown(1))
    status, _words, refused = _post(client, fair, _unknown(2))
    assert status == 429
    assert refused == (
        "Check-ins are coming too fast: this account or this network sent too many codes in a minute. "
        "Wait a minute, then scan again."
    )


def test_walk_ins_share_the_doors_limit_and_a_refusal_keeps_what_was_typed(
    client, frozen_clock, fair, alice, monkeypatch
):
    """A walk-in looks seekers up by phone: the per-minute limit holds for it too."""
    monkeypatch.setitem(views.DOOR_RATES, "user", "2/m")
    frozen_clock.move_to(FAIR_DAY.replace(second=0))
    client.force_login(alice)
    url = f"/fairs/{fair.pk}/checkin/walk-in/"
    for phone in ("13911110001", "13911110002"):
        assert client.post(url, {"name": "张 三", "phone": phone}).status_code == 200
    response = client.post(url, {"name": "李四", "phone": "13911110003"})
    assert response.status_code == 429
    p = page(response, status=429)
    assert p.find("p", class_="checkin-refused").text().startswith("现场登记提交得太快了")
    assert 'value="13911110003"' in response.content.decode()  # nothing typed is lost
    from xiangtan_jobs.core.models import SeekerRegistration

    assert not SeekerRegistration.objects.by_phone("13911110003").exists()
