"""The seeker's page shows their bookings and courses with cancel buttons (a cancelled seat moves
the waiting list up, told by inbox and SMS), and courses appear as a reason: 「完成『…』培训后可推荐
N 个岗位」, counted from real open postings near the seeker that the skill alone stands before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from stations.enums import EnrolmentStatus
from stations.models import Course, CourseEnrolment, YouthStation
from stations.selectors import seeker_course_reasons
from stations.services import booking_create, course_enrol, slot_create
from tests.clock import NOON, TODAY
from tests.factories import PostingFactory, SeekerFactory, UserFactory, skill, street
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import PostingStatus, ServicePointKind, UserRole, WorkType
from xiangtan_jobs.core.models import InboxMessage, SmsOutbox


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _course(site, seats=1, name="养老护理员"):
    return Course.objects.create(
        service_point=site,
        title=f"{name}培训班",
        skill=skill(name),
        starts_on=TODAY + dt.timedelta(days=3),
        ends_on=TODAY + dt.timedelta(days=10),
        seats=seats,
        place="岳塘区护理培训中心",
    )


def _seeker(**kw):
    user = UserFactory(role=UserRole.SEEKER)
    return SeekerFactory(user=user, **kw), user


@pytest.mark.django_db
def test_my_page_lists_bookings_and_courses_and_cancelling_moves_the_waiting_list_up(
    client, yuetang_nursing, frozen_clock
):
    station = YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION, name="测试青年驿站", area=street(), address="雨湖区", lat=27.87, lng=112.91
    )
    start = NOON + dt.timedelta(days=1)
    slot = slot_create(station=station, topic="career", starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    course = _course(yuetang_nursing, seats=1)
    me, user = _seeker()
    waiting, waiting_user = _seeker()
    booking = booking_create(slot=slot, seeker=me, actor=user)
    mine = course_enrol(course=course, seeker=me, actor=user)
    theirs = course_enrol(course=course, seeker=waiting, actor=waiting_user)
    assert theirs.status == EnrolmentStatus.WAITING
    client.force_login(user)
    html = page(client.get("/me/"))
    bookings = html.find("ul", class_="my-bookings")
    assert bookings is not None and "测试青年驿站" in bookings.text()
    assert bookings.find("form", action=f"/stations/bookings/{booking.pk}/cancel/") is not None
    courses = html.find("ul", class_="my-courses")
    assert courses is not None and courses.text().startswith("养老护理员培训班 · 已报名")
    assert courses.find("form", action=f"/stations/enrolments/{mine.pk}/cancel/") is not None
    # Someone else's enrolment cannot be cancelled from here.
    assert client.post(f"/stations/enrolments/{theirs.pk}/cancel/").status_code == 404
    response = client.post(f"/stations/enrolments/{mine.pk}/cancel/", {"next": "/me/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/me/"
    assert messages_of(response) == ["已取消报名：养老护理员培训班。"]
    assert page(response).find("ul", class_="my-courses") is None
    theirs.refresh_from_db()
    assert theirs.status == EnrolmentStatus.ENROLLED
    note = InboxMessage.objects.get(user=waiting_user)
    assert note.title == "候补成功：养老护理员培训班" and note.link == "/me/"
    sms = SmsOutbox.objects.get(purpose="course_seat")
    assert sms.phone == waiting.phone and "养老护理员培训班" in sms.text
    response = client.post(f"/stations/bookings/{booking.pk}/cancel/", {"next": "/me/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/me/" and "预约已取消。" in messages_of(response)
    assert page(response).find("ul", class_="my-bookings") is None
    assert CourseEnrolment.objects.filter(course=course, status=EnrolmentStatus.ENROLLED).count() == 1


def _nursing_postings(site, n, **kw):
    need = [("养老护理员", True, 1)]
    return [PostingFactory(service_point=site, title=f"护工{i}", skills=need, **kw) for i in range(n)]


@pytest.mark.django_db
def test_a_course_is_a_reason_when_its_skill_alone_stands_before_nearby_postings(yuetang_nursing, frozen_clock):
    _course(yuetang_nursing)
    seeker, _ = _seeker(skills=[("保洁员", 3, False)], work_types=[WorkType.DAY])
    _nursing_postings(yuetang_nursing, 3)
    # Not counted: far away, closed, another work type, or needing a second skill the seeker lacks.
    _nursing_postings(yuetang_nursing, 1, lat=27.73, lng=112.53)  # 湘乡, ~40 km off
    _nursing_postings(yuetang_nursing, 1, status=PostingStatus.CLOSED)
    _nursing_postings(yuetang_nursing, 1, work_type=WorkType.FULL)
    PostingFactory(service_point=yuetang_nursing, skills=[("养老护理员", True, 1), ("电工", True, 1)])
    # Counted: the seeker's other required skill (保洁员) is held.
    PostingFactory(service_point=yuetang_nursing, skills=[("养老护理员", True, 1), ("保洁员", True, 1)])
    reasons = seeker_course_reasons(seeker=seeker)
    assert [(r.skill_name, r.postings) for r in reasons] == [("养老护理员", 4)]
    held, _ = _seeker(skills=[("养老护理员", 3, False)], work_types=[WorkType.DAY])
    assert seeker_course_reasons(seeker=held) == []  # the skill is no gap for them


@pytest.mark.django_db
def test_the_reason_is_one_query_and_cached_for_the_day(yuetang_nursing, frozen_clock, django_assert_num_queries):
    _course(yuetang_nursing)
    seeker, _ = _seeker(skills=[("保洁员", 3, False)])
    _nursing_postings(yuetang_nursing, 3)
    with django_assert_num_queries(2):  # the seeker's skills, then the one counting query
        assert seeker_course_reasons(seeker=seeker)[0].postings == 3
    _nursing_postings(yuetang_nursing, 1)
    with django_assert_num_queries(1):  # the cache answers; only the seeker's skills are read
        assert seeker_course_reasons(seeker=seeker)[0].postings == 3


@pytest.mark.django_db
def test_the_reason_shows_on_my_recommendations_and_on_the_course_page(client, yuetang_nursing, frozen_clock):
    course = _course(yuetang_nursing)
    _, user = _seeker(skills=[("保洁员", 3, False)])
    _nursing_postings(yuetang_nursing, 12)
    client.force_login(user)
    box = page(client.get("/me/")).find("section", class_="course-reasons")
    assert box is not None
    link = box.find("a")
    assert link.text() == "完成『养老护理员』培训后可推荐 12 个岗位"
    assert link["href"] == f"/stations/courses/?skill={course.skill_id}"
    courses = page(client.get("/stations/courses/"))
    assert courses.find("p", class_="course-opens").text() == "完成『养老护理员』培训后可推荐 12 个岗位"
    client.logout()
    assert page(client.get("/stations/courses/")).find("p", class_="course-opens") is None


@pytest.mark.django_db
def test_my_page_does_not_query_once_per_booking_course_or_event(client, yuetang_nursing, frozen_clock):
    """The stations' block on /me/ costs the same number of queries for 1 or 5 of each item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.models import StationEvent
    from stations.services import event_signup

    station = YouthStation.objects.create(
        kind=ServicePointKind.YOUTH_STATION, name="测试青年驿站", area=street(), address="雨湖区", lat=27.87, lng=112.91
    )
    me, user = _seeker()
    client.force_login(user)

    def add(i: int) -> None:
        start = NOON + dt.timedelta(days=1, hours=i)
        slot = slot_create(station=station, topic="career", starts_at=start, ends_at=start + dt.timedelta(minutes=30))
        booking_create(slot=slot, seeker=me, actor=user)
        course_enrol(
            course=_course(yuetang_nursing, seats=5, name=("养老护理员", "电工", "保洁员", "育婴员", "厨师")[i]),
            seeker=me,
            actor=user,
        )
        event = StationEvent.objects.create(
            station=station, title=f"宣讲会{i}", starts_at=start, ends_at=start + dt.timedelta(hours=1), place="大厅"
        )
        event_signup(event=event, seeker=me, actor=user, now=NOON)

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/me/").status_code == 200
        return len(ctx.captured_queries)

    add(0)
    one = queries()
    for i in range(1, 5):
        add(i)
    html = page(client.get("/me/"))
    assert len(html.find("ul", class_="my-bookings").find_all("li")) == 5
    assert queries() == one
