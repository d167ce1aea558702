"""Journey at a gig market (issue 16, journey 5, with the big screen in test_markets_screen.py): a
seeker scans the door's QR code on a 360-px phone, logs in on the way, says what she came for,
and that is one person-time served; scanning again says she already checked in and adds nothing.

Run with `make e2e` (see conftest.py for the fixtures).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from markets.models import GigMarket
from tests.browser.helpers import check_a11y
from tests.factories import SeekerFactory
from xiangtan_jobs.core.models import ServiceRecord

pytestmark = pytest.mark.browser


def test_qr_check_in_counts_one_person_time(server, yuhu, dora, phone):
    market = GigMarket.objects.get(pk=yuhu.pk)
    seeker = SeekerFactory(user=dora, name="赵翠兰", phone="13800138000")
    page = phone
    page.goto(f"{server.url}/markets/{market.pk}/checkin/")  # where the poster's QR code points
    expect(page.get_by_role("heading", name=f"欢迎来到{market.name}")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="用密码登录").click()
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_label("密码").fill("pass-12345")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name=f"{market.name} · 签到")).to_be_visible()
    page.get_by_role("button", name="签到").click()  # nothing chosen: told what is missing
    expect(page.locator(".error-box")).to_be_visible()
    page.get_by_label("找工作").check()
    page.get_by_role("button", name="签到").click()
    expect(page.locator(".messages")).to_contain_text("签到成功")
    assert ServiceRecord.objects.filter(service_point=yuhu, seeker=seeker).count() == 1

    page.goto(f"{server.url}/markets/{market.pk}/checkin/")
    page.get_by_label("找工作").check()
    page.get_by_role("button", name="签到").click()
    expect(page.locator(".messages")).to_contain_text("已经签到过")
    assert ServiceRecord.objects.filter(service_point=yuhu, seeker=seeker).count() == 1
