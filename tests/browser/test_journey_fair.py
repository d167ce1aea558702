"""Journey at a job fair (issue 16, journey 4): a seeker on a 360-px phone signs up for a fair day,
gets the QR ticket (drawn, with its code), and the staff's door page on another phone accepts the
ticket once and says so the second time; the check-in counts as a person-time served.

Run with `make e2e` (see conftest.py for the fixtures). The fair's day is today's real date: the
door accepts tickets only on the day, and the browser and the live server share the real clock.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairs.enums import SignupStatus
from fairs.models import Exhibitor, FairSession, FairSignup, JobFair
from tests.browser.helpers import check_a11y
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, street
from xiangtan_jobs.core.models import ServiceRecord

pytestmark = pytest.mark.browser


def log_in(page: Page, server, user) -> None:
    """The user's session in the browser (how they logged in is another journey's subject)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])


@pytest.fixture
def fair_today(server, yuhu):
    today = timezone.localdate()
    fair = JobFair.objects.create(
        series="2025年春风行动",
        title="雨湖零工市场春风行动专场",
        organiser="雨湖零工市场",
        venue="雨湖零工市场大厅",
        address="雨湖区湘潭汽车站旁",
        area=street(),
        lat=27.87,
        lng=112.91,
        contact_phone="0731-58533441",
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        service_point=yuhu,
    )
    FairSession.objects.create(fair=fair, date=today, capacity=100)
    FairSession.objects.create(fair=fair, date=today + dt.timedelta(days=1), capacity=100)
    employer = EmployerFactory(name="湘潭洁美家政有限公司", service_point=yuhu)
    booth = Exhibitor.objects.create(fair=fair, employer=employer, booth="A01")
    booth.postings.set([PostingFactory(employer=employer, service_point=yuhu, title="家庭保洁员")])
    return fair


def test_sign_up_show_the_ticket_and_check_in_once(server, fair_today, dora, alice, yuhu, browser, phone):
    seeker = SeekerFactory(user=dora, name="赵翠兰")
    log_in(phone, server, dora)
    phone.goto(f"{server.url}/fairs/{fair_today.pk}/")
    expect(phone.get_by_role("heading", name="雨湖零工市场春风行动专场")).to_be_visible()
    expect(phone.get_by_text("A01")).to_be_visible()
    check_a11y(phone)
    phone.get_by_role("button", name="报名这一天").first.click()

    expect(phone.get_by_role("heading", name="招聘会入场券")).to_be_visible()
    assert phone.locator("figure.ticket-code svg").count() == 1  # the QR code, drawn on the server
    code = phone.locator("figure.ticket-code .code").inner_text()
    signup = FairSignup.objects.get(seeker=seeker)
    assert code.replace(" ", "").replace("-", "").upper() == signup.code.upper().replace("-", "")
    check_a11y(phone)

    staff = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 360, "height": 740})
    try:
        door = staff.new_page()
        log_in(door, server, alice)
        door.goto(f"{server.url}/fairs/{fair_today.pk}/checkin/")
        door.locator("input[name=code]").fill(code)
        door.get_by_role("button", name="签到", exact=True).click()
        expect(door.locator(".checkin-words")).to_have_text("签到成功")
        door.locator("input[name=code]").fill(code)
        door.get_by_role("button", name="签到", exact=True).click()
        expect(door.locator(".checkin-words")).to_have_text("这张入场码已经签到过了")
    finally:
        staff.close()

    signup.refresh_from_db()
    assert signup.status == SignupStatus.CHECKED_IN and signup.checked_in_by == alice
    assert ServiceRecord.objects.filter(service_point=yuhu, seeker=seeker).count() == 1
