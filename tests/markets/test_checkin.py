"""QR self check-in: the poster's code, the shortest way in, one person-time per day and kind."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
import segno
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from markets.enums import CheckinPurpose
from markets.services import market_check_in
from markets.views import checkin_url
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory
from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import ServiceRecord
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value

pytestmark = pytest.mark.django_db


def _url(market):
    return reverse("markets:gigmarket-checkin", args=[market.pk])


def test_anonymous_seeker_is_offered_login_with_the_way_back(client, market):
    response = client.get(_url(market))
    nxt = quote(_url(market), safe="")
    sms = f'<a class="btn btn-primary btn-big" href="/accounts/login/sms/?next={nxt}">用手机验证码登录</a>'
    assertContains(response, sms, html=True)
    assertContains(response, f'<a class="btn btn-big" href="/accounts/login/?next={nxt}">用密码登录</a>', html=True)
    assertContains(response, '<a class="btn btn-big" href="/register/">第一次来？先做求职登记</a>', html=True)


def test_password_login_comes_back_to_the_check_in(client, market, dora, dora_seeker):
    response = client.post(
        f"/accounts/login/?next={quote(_url(market))}",
        {"username": "13800138000", "password": "pass-12345", "next": _url(market)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _url(market)
    assertContains(response, "您今天来办什么事？")


def test_logged_in_without_registration_is_sent_to_register(client, market, dora):
    client.force_login(dora)
    response = client.get(_url(market))
    assertContains(response, '<a class="btn btn-primary btn-big" href="/register/">去做求职登记</a>', html=True)
    assert client.post(_url(market), {"kind": "consultation"}).status_code == 200
    assert not ServiceRecord.objects.exists()


def test_check_in_is_one_person_time_once_per_day_and_kind(frozen_clock, client, market, dora, dora_seeker):
    client.force_login(dora)

    first = client.post(_url(market), {"kind": CheckinPurpose.WORK}, follow=True)
    again = client.post(_url(market), {"kind": CheckinPurpose.WORK}, follow=True)
    other = client.post(_url(market), {"kind": CheckinPurpose.RIGHTS}, follow=True)

    assertContains(first, "签到成功：找工作。")
    assertContains(again, "您今天已经签到过「找工作」了，不用再签。")
    assertContains(other, "签到成功：维权咨询（讨薪等）。")
    assert first.redirect_chain[-1][0] == reverse("markets:gigmarket-today", args=[market.pk])
    records = ServiceRecord.objects.filter(service_point=market, seeker=dora_seeker)
    assert sorted(records.values_list("kind", flat=True)) == [ServiceKind.CONSULTATION, ServiceKind.RIGHTS]
    assert all(r.served_by is None and r.note == "扫码签到" for r in records)
    assert kpi_value("served", Period(TODAY, TODAY), Scope(site_id=market.pk)) == 2


def test_next_day_counts_again(frozen_clock, market):
    seeker = SeekerFactory()
    _r, created = market_check_in(market=market, seeker=seeker, kind=ServiceKind.CONSULTATION)
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        _r2, created_next = market_check_in(market=market, seeker=seeker, kind=ServiceKind.CONSULTATION)
    assert (created, created_next) == (True, True)
    assert kpi_value("served", Period(TODAY, TODAY + dt.timedelta(days=1)), Scope(site_id=market.pk)) == 2


@pytest.mark.parametrize("kind", ["", "registration", "bogus", "x" * 500])
def test_bad_choice_is_an_error_in_words(client, market, dora, dora_seeker, kind):
    client.force_login(dora)
    response = client.post(_url(market), {"kind": kind})
    assert response.status_code == 400
    assertContains(response, "还差一步：请选择今天来办什么事。", status_code=400)
    assert not ServiceRecord.objects.exists()


def test_poster_carries_the_qr_code_of_the_check_in_address(client, market, settings):
    settings.PUBLIC_URL = "https://jobs.xiangtan.example/"
    response = client.get(reverse("markets:gigmarket-poster", args=[market.pk]))

    url = f"https://jobs.xiangtan.example{_url(market)}"
    assert checkin_url(market) == url
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    expected = segno.make(url, error="m").svg_inline(scale=12, border=2, dark="#000", light="#fff", omitsize=True)
    assert svg == expected
    assert 'style="' not in html and "<script" not in html
    assertContains(response, f'<p class="poster-url">{url}</p>', html=True)
    assertContains(response, "<h1>雨湖零工市场</h1>", html=True)


def test_operator_sees_todays_check_ins_masked_and_only_their_own(frozen_clock, client, market, nursing_market, alice):
    mine = SeekerFactory(name="王秀英", phone="13911112222")
    theirs = SeekerFactory(name="刘建国", phone="13933334444")
    market_check_in(market=market, seeker=mine, kind=ServiceKind.CONSULTATION)
    market_check_in(market=nursing_market, seeker=theirs, kind=ServiceKind.CONSULTATION)
    with time_machine.travel(NOON - dt.timedelta(days=1), tick=False):
        market_check_in(market=market, seeker=SeekerFactory(name="赵昨天"), kind=ServiceKind.TRAINING)
    client.force_login(alice)

    response = client.get(reverse("admin:markets_marketcheckin_changelist"))

    assertContains(response, '<td class="field-person">王**</td>', html=True)
    assertContains(response, '<td class="field-phone">139****2222</td>', html=True)
    for hidden in ("王秀英", "13911112222", "刘", "赵"):
        assertNotContains(response, hidden)
    all_days = client.get(reverse("admin:markets_marketcheckin_changelist") + "?day=all")
    assertContains(all_days, '<td class="field-person">赵**</td>', html=True)


def test_check_ins_from_one_account_are_rate_limited(frozen_clock, client, market, dora, dora_seeker, settings):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "checkin": {"ip": "100/h", "user": "2/h"}}
    client.force_login(dora)
    for kind in (CheckinPurpose.WORK, CheckinPurpose.RIGHTS):
        assert client.post(_url(market), {"kind": kind}).status_code == 302
    refused = client.post(_url(market), {"kind": CheckinPurpose.TRAINING})
    assert refused.status_code == 429
    assert ServiceRecord.objects.filter(service_point=market, seeker=dora_seeker).count() == 2
