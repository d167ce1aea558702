"""Training courses: seats and the waiting list (also concurrently), completion adding the trained skill."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from stations.enums import EnrolmentStatus
from stations.models import Course, CourseEnrolment
from stations.services import course_enrol, enrolment_cancel, enrolment_complete
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory, UserFactory, skill
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import ServiceKind, UserRole
from xiangtan_jobs.core.models import InboxMessage, SeekerSkill, ServiceRecord


def _course(site, seats=1):
    return Course.objects.create(
        service_point=site,
        title="养老护理员初级班",
        skill=skill("养老护理员"),
        starts_on=TODAY + dt.timedelta(days=3),
        ends_on=TODAY + dt.timedelta(days=10),
        sessions=6,
        seats=seats,
        place="岳塘区护理培训中心",
    )


def _seeker():
    user = UserFactory(role=UserRole.SEEKER)
    return SeekerFactory(user=user), user


@pytest.mark.django_db
def test_full_course_waits_and_a_cancellation_moves_the_first_waiting_up(yuetang_nursing):
    course = _course(yuetang_nursing, seats=1)
    (a, ua), (b, ub), (c, uc) = _seeker(), _seeker(), _seeker()
    first = course_enrol(course=course, seeker=a, actor=ua, now=NOON)
    second = course_enrol(course=course, seeker=b, actor=ub, now=NOON)
    third = course_enrol(course=course, seeker=c, actor=uc, now=NOON)
    assert [e.status for e in (first, second, third)] == ["enrolled", "waiting", "waiting"]
    with pytest.raises(ValidationError):
        enrolment_cancel(enrolment=first, actor=ub)
    enrolment_cancel(enrolment=first, actor=ua)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
    assert InboxMessage.objects.filter(user=ub).count() == 1
    assert CourseEnrolment.objects.filter(course=course, status=EnrolmentStatus.ENROLLED).count() == 1


@pytest.mark.django_db
def test_completion_adds_the_trained_skill_counts_a_training_and_queues_matching(
    yuetang_nursing, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[tuple[str, list]] = []
    monkeypatch.setattr("celery.current_app.send_task", lambda name, args=None, **kw: sent.append((name, args)))
    course = _course(yuetang_nursing)
    seeker, user = _seeker()
    enrolment = course_enrol(course=course, seeker=seeker, actor=user, now=NOON)
    assert not SeekerSkill.objects.filter(registration=seeker, skill=course.skill).exists()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_complete(enrolment=enrolment, actor=None, now=NOON)
        enrolment_complete(enrolment=enrolment, actor=None, now=NOON)  # once
    trained = SeekerSkill.objects.get(registration=seeker, skill=course.skill)
    assert trained.trained_evidence == f"养老护理员初级班（#{course.pk}）"
    records = ServiceRecord.objects.filter(seeker=seeker)
    assert [(r.kind, r.service_point_id) for r in records] == [(ServiceKind.TRAINING, yuetang_nursing.pk)]
    assert ("matching.match_seeker", [seeker.pk]) in sent


@pytest.mark.django_db
def test_waiting_enrolment_cannot_complete(yuetang_nursing):
    course = _course(yuetang_nursing, seats=1)
    (a, ua), (b, ub) = _seeker(), _seeker()
    course_enrol(course=course, seeker=a, actor=ua, now=NOON)
    waiting = course_enrol(course=course, seeker=b, actor=ub, now=NOON)
    with pytest.raises(ValidationError):
        enrolment_complete(enrolment=waiting, actor=None, now=NOON)
    assert not ServiceRecord.objects.filter(seeker=b).exists()


@pytest.mark.django_db(transaction=True)
def test_seats_are_never_oversold_under_concurrent_enrolment(ref, yuetang_nursing):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    course = _course(yuetang_nursing, seats=2)
    people = [_seeker() for _ in range(5)]
    barrier = threading.Barrier(len(people))

    def enrol(seeker, user):
        try:
            barrier.wait()
            course_enrol(course=course, seeker=seeker, actor=user, now=NOON)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(CourseEnrolment.objects.filter(course=course).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ENROLLED] * 2 + [EnrolmentStatus.WAITING] * 3


@pytest.mark.django_db
def test_operator_completes_trainees_of_their_own_courses_only(client, alice, yuhu, yuetang_nursing):
    mine, theirs = _course(yuhu), _course(yuetang_nursing)
    (a, ua), (b, ub) = _seeker(), _seeker()
    own = course_enrol(course=mine, seeker=a, actor=ua, now=NOON)
    other = course_enrol(course=theirs, seeker=b, actor=ub, now=NOON)
    client.force_login(alice)
    forged = client.post(
        "/admin/stations/courseenrolment/", {"action": "mark_completed", "_selected_action": [other.pk]}
    )
    assert forged.status_code in (302, 403)
    response = client.post(
        "/admin/stations/courseenrolment/", {"action": "mark_completed", "_selected_action": [own.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["已记录 1 人结业。"]
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (EnrolmentStatus.COMPLETED, EnrolmentStatus.ENROLLED)
    assert SeekerSkill.objects.filter(registration=a, trained_evidence__startswith="养老护理员").exists()
    assert not ServiceRecord.objects.filter(seeker=b).exists()


@pytest.mark.django_db
def test_courses_page_filters_by_skill_and_district_and_enrols_from_the_phone(client, yuetang_nursing, frozen_clock):
    course = _course(yuetang_nursing, seats=1)
    district = yuetang_nursing.area.parent or yuetang_nursing.area
    html = page(client.get(f"/stations/courses/?skill={course.skill_id}&district={district.pk}"))
    assert [h.text() for h in html.find_all("h2")] == ["养老护理员初级班"]
    other_skill = skill("保洁员")
    assert page(client.get(f"/stations/courses/?skill={other_skill.pk}")).find("ul", class_="courses") is None
    assert client.get("/stations/courses/?skill=abc&district=-1").status_code == 200
    seeker, user = _seeker()
    client.force_login(user)
    response = client.post(f"/stations/courses/{course.pk}/enrol/", follow=True)
    assert messages_of(response) == ["报名成功：养老护理员初级班。"]
    assert CourseEnrolment.objects.get(course=course).seeker == seeker
