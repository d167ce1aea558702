"""Training courses (技能有人教): enrolment with the waiting list, attendance per session, and
completion, which adds the trained skill and is one training person-time (docs/kpis.md)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import InboxMessage, SeekerRegistration, User
from xiangtan_jobs.core.services.registrations import registration_skill_trained, service_record_create
from xiangtan_jobs.core.services.sms import sms_queue

from ..enums import EnrolmentStatus
from ..models import Course, CourseEnrolment, CourseSession, SessionAttendance


@transaction.atomic
def course_enrol(
    *, course: Course, seeker: SeekerRegistration, actor: User, now: dt.datetime | None = None
) -> CourseEnrolment:
    """Enrol oneself in a course: a seat while seats last (the course row is locked, so seats are
    never oversold), else a place on the waiting list."""
    now = now or timezone.now()
    if seeker.user_id != actor.pk:
        raise ValidationError(_("只能给自己报名。"), code="not_yours")
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.starts_on < timezone.localtime(now).date():
        raise ValidationError(_("这门课已经开课了，看看其他课程吧。"), code="started")
    existing = CourseEnrolment.objects.filter(course=course, seeker=seeker).first()
    if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
        raise ValidationError(_("您已经报名了这门课。"), code="duplicate")
    taken = CourseEnrolment.objects.filter(course=course, status=EnrolmentStatus.ENROLLED).count()
    status = EnrolmentStatus.ENROLLED if taken < course.seats else EnrolmentStatus.WAITING
    if existing is not None:
        existing.status = status
        existing.save(update_fields=["status", "updated_at"])
        return existing
    return CourseEnrolment.objects.create(course=course, seeker=seeker, status=status)


@transaction.atomic
def enrolment_cancel(*, enrolment: CourseEnrolment, actor: User, now: dt.datetime | None = None) -> CourseEnrolment:
    """The seeker leaves a course; a freed seat goes to the first on the waiting list, who is told
    (inbox and SMS)."""
    locked = CourseEnrolment.objects.select_related("seeker").get(pk=enrolment.pk)
    course = Course.objects.select_for_update().get(pk=locked.course_id)
    enrolment = CourseEnrolment.objects.select_for_update().select_related("seeker").get(pk=locked.pk)
    if enrolment.seeker.user_id != actor.pk:
        raise ValidationError(_("只能取消自己的报名。"), code="not_yours")
    if enrolment.status == EnrolmentStatus.COMPLETED:
        raise ValidationError(_("已经结业，不能取消。"), code="completed")
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    if freed:
        nxt = (
            CourseEnrolment.objects.select_related("seeker")
            .filter(course=course, status=EnrolmentStatus.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if nxt is not None:
            nxt.status = EnrolmentStatus.ENROLLED
            nxt.save(update_fields=["status", "updated_at"])
            _tell_moved_up(nxt, course, now=now)
    return enrolment


def _tell_moved_up(enrolment: CourseEnrolment, course: Course, *, now: dt.datetime | None) -> None:
    """The one moved up from the waiting list hears it: inbox and a text message (quiet hours kept)."""
    text = _("候补成功：您已报上「%(course)s」，%(day)s开课，地点：%(place)s。不去了请在「我的」里取消。") % {
        "course": course.title,
        "day": course.starts_on.strftime("%m月%d日"),
        "place": course.place,
    }
    key = f"course-seat:{enrolment.pk}"
    seeker = enrolment.seeker
    if seeker.user_id:
        InboxMessage.objects.get_or_create(
            user_id=seeker.user_id,
            dedupe_key=key,
            defaults={"title": _("候补成功：%(course)s") % {"course": course.title}, "body": text, "link": "/me/"},
        )
    sms_queue(phone=seeker.phone, text=text, purpose="course_seat", dedupe_key=key, now=now)


@transaction.atomic
def enrolment_complete(
    *, enrolment: CourseEnrolment, actor: User | None, now: dt.datetime | None = None
) -> CourseEnrolment:
    """The operator records completion (培训合格): a training person-time at the course's site
    (core.ServiceRecord of kind 技能培训), and the skill added to the seeker's registration
    marked trained with the course as evidence, so the matching picks it up on commit. Once."""
    now = now or timezone.now()
    enrolment = CourseEnrolment.objects.select_for_update().select_related("course", "seeker").get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return enrolment
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("只有已报名的学员可以结业。"), code="not_enrolled")
    course = enrolment.course
    attended = SessionAttendance.objects.filter(enrolment=enrolment).count()
    if attended < course.attendance_required:
        words = _("出勤 %(n)d 次，这门课要求至少 %(need)d 次才能结业。")
        raise ValidationError(words % {"n": attended, "need": course.attendance_required}, code="attendance")
    enrolment.service_record = service_record_create(
        service_point=course.service_point,
        kind=ServiceKind.TRAINING,
        actor=actor,
        seeker=enrolment.seeker,
        served_at=now,
        note=course.title[:200],
    )
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at", "service_record", "updated_at"])
    registration_skill_trained(
        registration=enrolment.seeker, skill_id=course.skill_id, evidence=f"{course.title}（#{course.pk}）"
    )
    return enrolment


# --- attendance per session -----------------------------------------------------------------


@transaction.atomic
def session_attendance_set(
    *, session: CourseSession, present_ids: set[int], actor: User | None, now: dt.datetime | None = None
) -> int:
    """Take the roll of one session: the trainees (enrolled or completed) in ``present_ids`` were
    there, the others not. Saving the same roll again changes nothing. Attendance is no person-time
    of its own: the training counts once, at completion (docs/kpis.md `served`, `trained`)."""
    now = now or timezone.now()
    # The course row is locked: two phones saving one roll at once cannot interleave.
    Course.objects.select_for_update().filter(pk=session.course_id).first()
    trainees = set(
        CourseEnrolment.objects.filter(
            course_id=session.course_id, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
        ).values_list("pk", flat=True)
    )
    unknown = present_ids - trainees
    if unknown:
        raise ValidationError(_("名单里有不是本课程学员的人。"), code="not_trainee")
    marked = set(SessionAttendance.objects.filter(session=session).values_list("enrolment_id", flat=True))
    SessionAttendance.objects.filter(session=session, enrolment_id__in=marked - present_ids).delete()
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(session=session, enrolment_id=pk, recorded_at=now, recorded_by=actor)
            for pk in sorted(present_ids - marked)
        ]
    )
    return len(present_ids)
