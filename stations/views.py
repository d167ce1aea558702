"""Public pages of the youth stations (青年驿站): list and detail with current postings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xiangtan_jobs.common.masking import mask_name
from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.core.models import Area, Skill, User
from xiangtan_jobs.core.presenters import service_point_context
from xiangtan_jobs.core.selectors import seeker_current

from .enums import EnrolmentStatus
from .models import ConsultationSlot, Course, CourseEnrolment, StationEventSignup
from .selectors import (
    course_get,
    course_open_list,
    course_sessions,
    course_trainees,
    event_get,
    event_signups,
    seeker_bookings,
    seeker_course_reasons,
    session_present_ids,
    showcase_projects,
    staff_may_run,
    station_events_upcoming,
    station_get,
    station_list,
    station_open_slots,
)
from .services import (
    booking_cancel,
    booking_create,
    course_enrol,
    enrolment_cancel,
    enrolment_complete,
    event_attendance_mark,
    event_attendance_undo,
    event_signup,
    event_signup_cancel,
    session_attendance_set,
)

_R = TypeVar("_R", bound=Model)


def station_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "stations/youthstation_list.html", {"sites": station_list()})


def station_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Address, hours, phone, services offered and the postings collected here."""
    site = station_get(pk=pk)
    if site is None:
        raise Http404(_("没有找到这个青年驿站"))
    context = service_point_context(site, _("青年驿站"))
    context["slots"] = station_open_slots(station=site)
    context["my_bookings"] = list(seeker_bookings(user=request.user, station=site))
    context["courses"] = list(course_open_list(site_id=site.pk)[:20])
    context["events"] = station_events_upcoming(station=site)
    return render(request, "stations/youthstation_detail.html", context)


@require_POST
def slot_book_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a place in a consultation time (login required; a seeker's registration needed)."""
    slot = ConsultationSlot.objects.filter(pk=pk, starts_at__gt=timezone.now()).first() if 0 < pk < 2**62 else None
    if slot is None:
        raise Http404(_("没有找到这个咨询时段"))
    back = reverse("stations:youthstation-detail", args=[slot.station_id])
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    seeker = seeker_current(user=request.user)
    if seeker is None:
        messages.info(request, _("预约前请先做求职登记，只要几分钟。"))
        return HttpResponseRedirect(reverse("portal:register"))
    user: User = request.user
    try:
        booking_create(slot=slot, seeker=seeker, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        when = timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M")
        messages.success(request, _("预约成功：%(when)s，前一天会提醒您。") % {"when": when})
    return HttpResponseRedirect(back)


@login_required
@require_POST
def booking_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one's own booking; someone else's answers 404."""
    booking = _own_or_404(seeker_bookings(user=request.user), pk, _("没有找到这个预约"))
    return _cancel_and_return(
        request,
        lambda user: booking_cancel(booking=booking, actor=user),
        success=_("预约已取消。"),
        back=reverse("stations:youthstation-detail", args=[booking.slot.station_id]),
    )


def course_list_view(request: HttpRequest) -> HttpResponse:
    """All open courses (技能有人教), filtered by skill and district (bad input is ignored)."""
    skill_id, district_id = parse_id(request.GET.get("skill")), parse_id(request.GET.get("district"))
    courses = list(course_open_list(skill_id=skill_id, district_id=district_id)[:100])
    seeker = seeker_current(user=request.user) if request.user.is_authenticated else None
    if seeker is not None:
        # 「完成『养老护理员』培训后可推荐 12 个岗位」 on each course whose skill the seeker lacks.
        opens = {r.skill_id: r.postings for r in seeker_course_reasons(seeker=seeker, minimum=1)}
        for c in courses:
            c.opens = opens.get(c.skill_id, 0)  # type: ignore[attr-defined]
    context = {
        "courses": courses,
        "skills": Skill.objects.filter(alias_of__isnull=True).order_by("code"),
        "districts": Area.objects.top_level().order_by("name"),
        "skill_id": skill_id,
        "district_id": district_id,
    }
    return render(request, "stations/course_list.html", context)


@require_POST
def course_enrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol in a course (or join its waiting list); login and a registration needed."""
    course = Course.objects.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if course is None:
        raise Http404(_("没有找到这门课程"))
    back = reverse("stations:course-list")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    seeker = seeker_current(user=request.user)
    if seeker is None:
        messages.info(request, _("报名前请先做求职登记，只要几分钟。"))
        return HttpResponseRedirect(reverse("portal:register"))
    user: User = request.user
    try:
        enrolment = course_enrol(course=course, seeker=seeker, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if enrolment.status == "enrolled":
            messages.success(request, _("报名成功：%(course)s。") % {"course": course.title})
        else:
            messages.info(request, _("名额已满，您已进入候补名单，有人取消时会通知您。"))
    return HttpResponseRedirect(back)


# --- the seeker's own courses --------------------------------------------------------------


def _next_or(request: HttpRequest, default: str) -> str:
    """A same-site path from the form's ``next`` (the /me/ page's buttons come back there)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def enrolment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a course (or its waiting list); someone else's enrolment answers 404."""
    mine = CourseEnrolment.objects.filter(seeker__user=_me(request)).select_related("course")
    enrolment = _own_or_404(mine, pk, _("没有找到这个报名"))
    return _cancel_and_return(
        request,
        lambda user: enrolment_cancel(enrolment=enrolment, actor=user),
        success=_("已取消报名：%(course)s。") % {"course": enrolment.course.title},
        back=reverse("portal:me"),
    )


# --- the staff's roll of a course (on a phone in the classroom) ---------------------------


def _staff_course(request: HttpRequest, pk: int) -> Course | HttpResponse:
    course = course_get(pk=pk)
    if course is None:
        raise Http404(_("没有找到这门课程"))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not staff_may_run(site_id=course.service_point_id, request=request):
        raise PermissionDenied(_("只有开课服务点的工作人员可以点名"))
    return course


def course_roll_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The course's sessions (take the roll of each) and its trainees with their attendance."""
    course = _staff_course(request, pk)
    if isinstance(course, HttpResponse):
        return course
    trainees = course_trainees(course=course)
    for t in trainees:
        t.may_complete = t.status == EnrolmentStatus.ENROLLED and t.attended >= course.attendance_required  # type: ignore[attr-defined]
    context = {"course": course, "sessions": course_sessions(course=course), "trainees": trainees}
    return render(request, "stations/course_roll.html", context)


@require_http_methods(["GET", "POST"])
def session_attendance_view(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """Take the roll of one session: tick who is there, save (saving again changes nothing)."""
    course = _staff_course(request, pk)
    if isinstance(course, HttpResponse):
        return course
    session = course.course_sessions.filter(pk=session_pk).first() if 0 < session_pk < 2**62 else None
    if session is None:
        raise Http404(_("没有找到这次课"))
    if request.method == "POST":
        ids = {i for i in (parse_id(v) for v in request.POST.getlist("present")) if i is not None}
        user: User = request.user  # type: ignore[assignment]  # _staff_course checked it
        try:
            n = session_attendance_set(session=session, present_ids=ids, actor=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已保存第 %(no)d 次课的出勤：%(n)d 人到课。") % {"no": session.number, "n": n})
            return HttpResponseRedirect(reverse("stations:course-roll", args=[course.pk]))
    context = {
        "course": course,
        "session": session,
        "trainees": course_trainees(course=course),
        "present": session_present_ids(session=session),
    }
    return render(request, "stations/session_attendance.html", context)


@require_POST
def enrolment_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one trainee's completion (培训合格) from the roll page."""
    enrolment = CourseEnrolment.objects.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if enrolment is None:
        raise Http404(_("没有找到这个报名"))
    course = _staff_course(request, enrolment.course_id)
    if isinstance(course, HttpResponse):
        return course
    user: User = request.user  # type: ignore[assignment]  # _staff_course checked it
    try:
        enrolment_complete(enrolment=enrolment, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已记录结业：%(name)s。") % {"name": mask_name(enrolment.seeker.name)})
    return HttpResponseRedirect(reverse("stations:course-roll", args=[course.pk]))


# --- recruitment events at a station ---------------------------------------------------------


@require_POST
def event_signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign up for a station's 宣讲会 or 小型招聘会 (login and a registration needed)."""
    event = event_get(pk=pk)
    if event is None:
        raise Http404(_("没有找到这场活动"))
    back = reverse("stations:youthstation-detail", args=[event.station_id])
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    seeker = seeker_current(user=request.user)
    if seeker is None:
        messages.info(request, _("报名前请先做求职登记，只要几分钟。"))
        return HttpResponseRedirect(reverse("portal:register"))
    user: User = request.user
    try:
        event_signup(event=event, seeker=seeker, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("报名成功：%(title)s。") % {"title": event.title})
    return HttpResponseRedirect(back)


@login_required
@require_POST
def event_signup_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one's own event sign-up; someone else's answers 404."""
    mine = StationEventSignup.objects.filter(seeker__user=_me(request)).select_related("event")
    signup = _own_or_404(mine, pk, _("没有找到这个报名"))
    return _cancel_and_return(
        request,
        lambda user: event_signup_cancel(signup=signup, actor=user),
        success=_("已取消报名：%(title)s。") % {"title": signup.event.title},
        back=reverse("portal:me"),
    )


@require_http_methods(["GET", "POST"])
def event_attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's staff tick who came (each one person-time, once)."""
    event = event_get(pk=pk)
    if event is None:
        raise Http404(_("没有找到这场活动"))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not staff_may_run(site_id=event.station_id, request=request):
        raise PermissionDenied(_("只有举办驿站的工作人员可以登记到场"))
    if request.method == "POST" and "undo" in request.POST:
        undo = parse_id(request.POST.get("undo"))
        if undo is not None and event_attendance_undo(event=event, signup_id=undo, actor=_me(request)):
            messages.success(request, _("已撤销这个人的到场登记。"))
        else:
            messages.info(request, _("这个人已经不是“已到场”了，无需撤销。"))
        return HttpResponseRedirect(request.path)
    if request.method == "POST":
        ids = {i for i in (parse_id(v) for v in request.POST.getlist("came")) if i is not None}
        user: User = request.user
        try:
            n = event_attendance_mark(event=event, signup_ids=ids, actor=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已登记 %(n)d 人到场。") % {"n": n})
        return HttpResponseRedirect(request.path)
    context = {"event": event, "signups": event_signups(event=event)}
    return render(request, "stations/event_attendance.html", context)


def showcase_view(request: HttpRequest) -> HttpResponse:
    """The public showcase of incubated projects whose founders agreed to be shown."""
    return render(request, "stations/startup_showcase.html", {"projects": showcase_projects()[:100]})


# --- a seeker cancels something of their own (a booking, an enrolment, an event sign-up) ---


def _own_or_404(mine: QuerySet[_R], pk: int, not_found: str) -> _R:
    """The seeker's own record with this id; anyone else's (or an absurd id) answers 404."""
    record = mine.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if record is None:
        raise Http404(not_found)
    return record


def _me(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]  # behind login_required
    return user


def _cancel_and_return(
    request: HttpRequest, cancel: Callable[[User], object], *, success: str, back: str
) -> HttpResponse:
    """Run the cancelling service as the seeker, say how it went, and go back where they were."""
    try:
        cancel(_me(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(_next_or(request, back))
