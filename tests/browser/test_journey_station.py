"""Journey at a youth station (issue 13): a seeker on a 360-px phone books a consultation at the
station and enrols in a nursing-care course; the station's operator, on a phone in the classroom,
takes the roll of the session and records the completion; the seeker's page then shows the trained
skill, and the real worker matches them to the nursing posting that needed it.

Run with `make e2e E2E_ARGS="tests/browser/test_journey_station.py"` (see conftest.py). Dates are
built from the real clock: the browser and the live server share it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from matching.models import Match
from stations.enums import BookingStatus, EnrolmentStatus
from stations.models import ConsultationBooking, Course, CourseEnrolment, CourseSession, YouthStation
from stations.services import slot_create
from tests.browser.helpers import check_a11y
from tests.factories import PostingFactory, SeekerFactory, skill, street
from xiangtan_jobs.core.enums import MembershipRole, ServiceKind, ServicePointKind
from xiangtan_jobs.core.models import OperatorMembership, SeekerSkill, ServiceRecord

pytestmark = pytest.mark.browser


def log_in(page: Page, server, user) -> None:
    """The user's session in the browser (how they logged in is another journey's subject)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])


@pytest.fixture
def station(server, alice):
    site = YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION,
        name="雨湖区青年就业创业服务驿站",
        area=street(),
        address="雨湖区雨湖路12号",
        lat=27.87,
        lng=112.91,
    )
    OperatorMembership.objects.create(user=alice, service_point=site, role=MembershipRole.OPERATOR)
    start = (timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    slot_create(station=site, topic="career", starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    today = timezone.localdate()
    course = Course.objects.create(
        service_point=site,
        title="养老护理员初级班",
        skill=skill("养老护理员"),
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=4),
        sessions=1,
        seats=10,
        place="驿站二楼教室",
        attendance_required=1,
    )
    CourseSession.objects.create(course=course, number=1, date=today + dt.timedelta(days=3), topic="老人起居照护")
    return site


def test_book_enrol_attend_complete_and_see_the_trained_skill(server, worker, station, dora, alice, browser, phone):
    seeker = SeekerFactory(user=dora, name="赵翠兰", skills=[("保洁员", 3, False)])
    nursing = PostingFactory(service_point=station, title="居家养老护理员", skills=[("养老护理员", True, 1)])
    course = Course.objects.get(service_point=station)
    log_in(phone, server, dora)

    phone.goto(f"{server.url}/stations/{station.pk}/")
    expect(phone.get_by_role("heading", name="雨湖区青年就业创业服务驿站")).to_be_visible()
    check_a11y(phone)
    phone.get_by_role("button", name="预约（剩 1 个名额）").click()
    expect(phone.get_by_text("预约成功")).to_be_visible()
    assert ConsultationBooking.objects.get(seeker=seeker).status == BookingStatus.BOOKED

    phone.goto(f"{server.url}/stations/courses/")
    card = phone.locator("ul.courses li", has_text="养老护理员初级班")
    expect(card.locator(".course-opens")).to_have_text("完成『养老护理员』培训后可推荐 1 个岗位")
    check_a11y(phone)
    card.get_by_role("button", name="报名").click()
    expect(phone.get_by_text("报名成功：养老护理员初级班。")).to_be_visible()
    enrolment = CourseEnrolment.objects.get(course=course, seeker=seeker)
    assert enrolment.status == EnrolmentStatus.ENROLLED

    staff = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 360, "height": 740})
    try:
        room = staff.new_page()
        log_in(room, server, alice)
        room.goto(f"{server.url}/stations/courses/{course.pk}/roll/")
        expect(room.get_by_text("出勤不够")).to_be_visible()
        room.get_by_role("link", name="第 1 次课").click()
        room.get_by_label("赵**").check()
        room.get_by_role("button", name="保存出勤").click()
        expect(room.get_by_text("已保存第 1 次课的出勤：1 人到课。")).to_be_visible()
        check_a11y(room)
        room.get_by_role("button", name="记录结业").click()
        expect(room.get_by_text("已记录结业：赵**。")).to_be_visible()
        expect(room.locator("table.trainees")).to_contain_text("培训合格")
    finally:
        staff.close()

    trained = SeekerSkill.objects.get(registration=seeker, skill=course.skill)
    assert trained.trained_evidence.startswith("养老护理员初级班")
    assert ServiceRecord.objects.filter(seeker=seeker, kind=ServiceKind.TRAINING, service_point=station).count() == 1
    worker.wait_until(lambda: Match.objects.filter(seeker=seeker, posting=nursing).exists(), what="the nursing match")

    phone.goto(f"{server.url}/me/")
    courses = phone.locator("ul.my-courses")
    expect(courses).to_contain_text("培训合格")
    expect(courses).to_contain_text("已加入您的技能：养老护理员（培训合格）")
    expect(phone.locator("ul.my-bookings")).to_contain_text("雨湖区青年就业创业服务驿站")
    expect(phone.get_by_role("heading", name="居家养老护理员")).to_be_visible()
    check_a11y(phone)
