"""Attendance per course session: the roll on a phone (own site only), completion needing the
attendance the course sets, and the training counted once as a person-time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from stations.enums import EnrolmentStatus
from stations.models import Course, CourseSession, SessionAttendance
from stations.services import course_enrol, enrolment_complete, session_attendance_set
from tests.clock import NOON, TODAY
from tests.factories import SeekerFactory, UserFactory, skill
from tests.fairs.html import messages_of, page
from xiangtan_jobs.core.enums import ServiceKind, UserRole
from xiangtan_jobs.core.models import SeekerSkill, ServiceRecord
from xiangtan_jobs.dashboard.kpis import Period, Scope, kpi_value

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 10) Mobile"}


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr("celery.current_app.send_task", lambda *a, **kw: None)


def _course(site, *, required=2, sessions=3):
    course = Course.objects.create(
        service_point=site,
        title="养老护理员初级班",
        skill=skill("养老护理员"),
        starts_on=TODAY + dt.timedelta(days=1),
        ends_on=TODAY + dt.timedelta(days=5),
        sessions=sessions,
        seats=5,
        place="岳塘区护理培训中心",
        attendance_required=required,
    )
    for n in range(1, sessions + 1):
        CourseSession.objects.create(course=course, number=n, date=TODAY + dt.timedelta(days=n))
    return course


def _trainee(course):
    user = UserFactory(role=UserRole.SEEKER)
    seeker = SeekerFactory(user=user, name="刘春梅", skills=[("保洁员", 2, False)])
    return course_enrol(course=course, seeker=seeker, actor=user, now=NOON), seeker


@pytest.mark.django_db
def test_completion_needs_the_attendance_the_course_sets_and_counts_one_training(yuetang_nursing, bob):
    course = _course(yuetang_nursing, required=2)
    enrolment, seeker = _trainee(course)
    first, second, _third = course.course_sessions.order_by("number")
    session_attendance_set(session=first, present_ids={enrolment.pk}, actor=bob, now=NOON)
    with pytest.raises(ValidationError) as exc:
        enrolment_complete(enrolment=enrolment, actor=bob, now=NOON)
    assert exc.value.messages == ["出勤 1 次，这门课要求至少 2 次才能结业。"]
    assert not SeekerSkill.objects.filter(registration=seeker, skill=course.skill).exists()
    session_attendance_set(session=second, present_ids={enrolment.pk}, actor=bob, now=NOON)
    session_attendance_set(session=second, present_ids={enrolment.pk}, actor=bob, now=NOON)  # saved twice
    assert SessionAttendance.objects.filter(enrolment=enrolment).count() == 2
    enrolment_complete(enrolment=enrolment, actor=bob, now=NOON)
    enrolment_complete(enrolment=enrolment, actor=bob, now=NOON)
    # Two sessions attended and one completion: one training person-time, at the course's site.
    records = ServiceRecord.objects.filter(seeker=seeker)
    assert [(r.kind, r.service_point_id) for r in records] == [(ServiceKind.TRAINING, yuetang_nursing.pk)]
    day = Period(TODAY, TODAY)
    assert kpi_value("served", day, Scope(site_id=yuetang_nursing.pk)) == 1
    assert kpi_value("trained", day, Scope(site_id=yuetang_nursing.pk)) == 1


@pytest.mark.django_db
def test_the_roll_unticks_the_absent_and_refuses_strangers(yuetang_nursing, yuhu, bob):
    course = _course(yuetang_nursing)
    a, _ = _trainee(course)
    b, _ = _trainee(course)
    session = course.course_sessions.get(number=1)
    session_attendance_set(session=session, present_ids={a.pk, b.pk}, actor=bob, now=NOON)
    session_attendance_set(session=session, present_ids={a.pk}, actor=bob, now=NOON)
    assert set(SessionAttendance.objects.values_list("enrolment_id", flat=True)) == {a.pk}
    elsewhere, _ = _trainee(_course(yuhu))
    with pytest.raises(ValidationError):
        session_attendance_set(session=session, present_ids={a.pk, elsewhere.pk}, actor=bob, now=NOON)
    assert set(SessionAttendance.objects.values_list("enrolment_id", flat=True)) == {a.pk}


@pytest.mark.django_db
def test_operator_takes_the_roll_and_records_completion_on_the_phone(client, yuetang_nursing, bob, frozen_clock):
    course = _course(yuetang_nursing, required=1)
    enrolment, seeker = _trainee(course)
    session = course.course_sessions.get(number=1)
    client.force_login(bob)
    roll = page(client.get(f"/stations/courses/{course.pk}/roll/", **PHONE))
    assert roll.find("table", class_="trainees").find("form") is None  # not yet attended: 出勤不够
    form = page(client.get(f"/stations/courses/{course.pk}/sessions/{session.pk}/", **PHONE))
    boxes = form.find_all("input", name="present")
    assert [b.attrs["value"] for b in boxes] == [str(enrolment.pk)]
    saved = client.post(
        f"/stations/courses/{course.pk}/sessions/{session.pk}/", {"present": [enrolment.pk]}, follow=True, **PHONE
    )
    assert messages_of(saved) == ["已保存第 1 次课的出勤：1 人到课。"]
    html = page(saved)
    assert html.find("form", action=f"/stations/enrolments/{enrolment.pk}/complete/") is not None
    done = client.post(f"/stations/enrolments/{enrolment.pk}/complete/", follow=True, **PHONE)
    assert messages_of(done) == ["已记录结业：刘**。"]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert SeekerSkill.objects.get(registration=seeker, skill=course.skill).trained_evidence


@pytest.mark.django_db
def test_only_the_courses_own_site_takes_its_roll(client, yuetang_nursing, alice, charlie, dora, frozen_clock):
    course = _course(yuetang_nursing, required=0)
    enrolment, _ = _trainee(course)
    session = course.course_sessions.get(number=1)
    urls = [f"/stations/courses/{course.pk}/roll/", f"/stations/courses/{course.pk}/sessions/{session.pk}/"]
    anonymous = client.get(urls[0])
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    for user in (alice, charlie, dora):  # another site's operator, the bureau, a seeker
        client.force_login(user)
        assert [client.get(u).status_code for u in urls] == [403, 403]
        assert client.post(urls[1], {"present": [enrolment.pk]}).status_code == 403
        assert client.post(f"/stations/enrolments/{enrolment.pk}/complete/").status_code == 403
    assert not SessionAttendance.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
