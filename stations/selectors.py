"""Read-side queries of the youth stations (public pages)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, staff_role
from xiangtan_jobs.core.enums import PostingStatus, ServicePointStatus
from xiangtan_jobs.core.models import JobPosting, PostingSkill, SeekerRegistration, SeekerSkill
from xiangtan_jobs.core.selectors.geo import within_km

from .enums import BookingStatus, EnrolmentStatus, EventSignupStatus, ProjectStatus, StationEventStatus
from .models import (
    ConsultationBooking,
    ConsultationSlot,
    Course,
    CourseEnrolment,
    CourseSession,
    SessionAttendance,
    StartupProject,
    StationEvent,
    StationEventSignup,
    YouthStation,
)


def _open_postings() -> Q:
    today = timezone.localdate()
    return Q(postings__status=PostingStatus.PUBLISHED) & (
        Q(postings__expires_on__isnull=True) | Q(postings__expires_on__gte=today)
    )


def station_list() -> QuerySet[YouthStation]:
    """Operating youth stations with their count of open postings (named sites first, then demo)."""
    # The manager is inherited from ServicePoint, so the stubs type its rows as ServicePoint.
    return cast(
        "QuerySet[YouthStation]",
        YouthStation.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .annotate(open_postings=Count("postings", filter=_open_postings()))
        .order_by("is_demo", "name"),
    )


def station_get(*, pk: int) -> YouthStation | None:
    """One youth station for its public page, or None."""
    if not 0 < pk < 2**62:
        return None
    return cast(
        "YouthStation | None",
        YouthStation.objects.exclude(status=ServicePointStatus.CLOSED)
        .select_related("area", "area__parent")
        .filter(pk=pk)
        .first(),
    )


def station_open_slots(*, station: YouthStation, now: dt.datetime | None = None) -> list[ConsultationSlot]:
    """The station's consultation times still to come, each with ``places_left``."""
    now = now or timezone.now()
    slots: list[ConsultationSlot] = list(
        ConsultationSlot.objects.filter(station=station, starts_at__gt=now)
        .annotate(booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("starts_at")[:30]
    )
    for slot in slots:
        slot.places_left = max(0, slot.capacity - slot.booked)  # type: ignore[attr-defined]
    return slots


def seeker_bookings(*, user: Any, station: YouthStation | None = None) -> QuerySet[ConsultationBooking]:
    """The acting seeker's own booked consultations still to come (at one station, or all)."""
    if not getattr(user, "is_authenticated", False):
        return ConsultationBooking.objects.none()
    qs = ConsultationBooking.objects.filter(
        seeker__user=user, status=BookingStatus.BOOKED, slot__starts_at__gt=timezone.now()
    ).select_related("slot", "slot__station")
    return qs.filter(slot__station=station) if station is not None else qs


def course_open_list(
    *, skill_id: int | None = None, district_id: int | None = None, site_id: int | None = None
) -> QuerySet[Course]:
    """Courses not yet started, with seats taken, narrowed to a skill and a district (top-level area)."""
    qs = (
        Course.objects.filter(starts_on__gte=timezone.localdate())
        .select_related("skill", "service_point", "service_point__area")
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        .order_by("starts_on", "id")
    )
    if site_id:
        qs = qs.filter(service_point_id=site_id)
    if skill_id:
        qs = qs.filter(skill_id=skill_id)
    if district_id:
        qs = qs.filter(Q(service_point__area_id=district_id) | Q(service_point__area__parent_id=district_id))
    return qs


# --- staff pages: the roll of a course, the attendance of an event -------------------------


def staff_may_run(*, site_id: int, request: Any) -> bool:
    """Who takes a roll or marks attendance: operators of the site, and superusers."""
    role = staff_role(request.user)
    if role is StaffRole.SUPERUSER:
        return True
    return role is StaffRole.OPERATOR and site_id in operator_site_ids(request)


def course_get(*, pk: int) -> Course | None:
    if not 0 < pk < 2**62:
        return None
    return Course.objects.select_related("service_point", "skill").filter(pk=pk).first()


def course_trainees(*, course: Course) -> list[CourseEnrolment]:
    """The course's trainees (enrolled or completed), each with ``attended`` sessions, in enrolment order."""
    return list(
        CourseEnrolment.objects.filter(course=course, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED))
        .select_related("seeker")
        .annotate(attended=Count("attendance"))
        .order_by("created_at", "id")
    )


def course_sessions(*, course: Course) -> list[CourseSession]:
    """The course's sessions, each with ``present`` (how many attended)."""
    return list(course.course_sessions.annotate(present=Count("attendance")).order_by("number"))


def session_present_ids(*, session: CourseSession) -> set[int]:
    return set(SessionAttendance.objects.filter(session=session).values_list("enrolment_id", flat=True))


def event_get(*, pk: int) -> StationEvent | None:
    if not 0 < pk < 2**62:
        return None
    return StationEvent.objects.select_related("station").filter(pk=pk).first()


def event_signups(*, event: StationEvent) -> list[StationEventSignup]:
    """Who signed up (not cancelled), in sign-up order."""
    return list(
        event.signups.exclude(status=EventSignupStatus.CANCELLED).select_related("seeker").order_by("created_at", "id")
    )


def station_events_upcoming(*, station: YouthStation, now: dt.datetime | None = None) -> list[StationEvent]:
    """The station's published events still to come, each with ``taken`` places, employers prefetched."""
    now = now or timezone.now()
    return list(
        StationEvent.objects.filter(station=station, status=StationEventStatus.PUBLISHED, ends_at__gt=now)
        .annotate(taken=Count("signups", filter=Q(signups__status=EventSignupStatus.SIGNED_UP)))
        .prefetch_related("employers")
        .order_by("starts_at")[:20]
    )


# --- the seeker's own (/me/) ----------------------------------------------------------------


def seeker_upcoming_bookings(
    *, seeker: SeekerRegistration, now: dt.datetime | None = None
) -> list[ConsultationBooking]:
    """The seeker's booked consultations still to come, at every station."""
    now = now or timezone.now()
    return list(
        ConsultationBooking.objects.filter(seeker=seeker, status=BookingStatus.BOOKED, slot__starts_at__gt=now)
        .select_related("slot", "slot__station")
        .order_by("slot__starts_at")[:20]
    )


def seeker_enrolments(*, seeker: SeekerRegistration) -> list[CourseEnrolment]:
    """The seeker's courses: enrolled, waiting or completed (not cancelled), newest course first."""
    return list(
        CourseEnrolment.objects.filter(seeker=seeker)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("course", "course__service_point", "course__skill")
        .order_by("-course__starts_on", "-id")[:20]
    )


def seeker_event_signups(*, seeker: SeekerRegistration, now: dt.datetime | None = None) -> list[StationEventSignup]:
    """The seeker's sign-ups for station events still to come, or attended."""
    now = now or timezone.now()
    return list(
        StationEventSignup.objects.filter(seeker=seeker)
        .filter(
            Q(status=EventSignupStatus.ATTENDED)
            | Q(status=EventSignupStatus.SIGNED_UP, event__ends_at__gt=now, event__status=StationEventStatus.PUBLISHED)
        )
        .select_related("event", "event__station")
        .order_by("-event__starts_at")[:20]
    )


def seeker_projects(*, seeker: SeekerRegistration) -> list[StartupProject]:
    """The startup projects the seeker is a founder of."""
    return list(
        StartupProject.objects.filter(founders=seeker).select_related("station").prefetch_related("milestones")[:10]
    )


# --- the public showcase of incubated projects --------------------------------------------


def showcase_projects() -> QuerySet[StartupProject]:
    """Projects whose founders agreed to be shown (only name, stage, station and the public text
    are read from them), not stopped ones. Demo projects are shown too: their names and their
    stations' names say 「演示」."""
    return (
        StartupProject.objects.filter(showcase=True)
        .exclude(status=ProjectStatus.STOPPED)
        .select_related("station")
        .only("name", "stage", "status", "showcase_text", "station__name", "created_at")
        .order_by("-created_at", "id")
    )


# --- courses as a reason (「完成『养老护理员』培训后可推荐 12 个岗位」) ------------------------------

# /me/ names a course only when its skill stands before this many postings near the seeker.
COURSE_REASON_MIN_POSTINGS = 3
COURSE_REASON_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CourseReason:
    """A skill an open course teaches, and how many open postings in the seeker's range it alone
    stands between them and."""

    skill_id: int
    skill_name: str
    postings: int


def seeker_course_reasons(
    *, seeker: SeekerRegistration, minimum: int = COURSE_REASON_MIN_POSTINGS, now: dt.datetime | None = None
) -> list[CourseReason]:
    """Skills of open courses the seeker lacks, each with the count of open postings within their
    travel range that require it and whose other required skills they already have (and of a work
    type they want), most first. One counting query, cached per seeker, day and skill set."""
    today = timezone.localdate(now)
    rows = list(SeekerSkill.objects.filter(registration=seeker).values_list("skill_id", "skill__alias_of_id"))
    held = sorted({s for pair in rows for s in pair if s is not None})
    work_types = sorted(w for w in (seeker.work_types or []) if isinstance(w, str))
    fingerprint = hashlib.sha256(
        repr((held, work_types, seeker.home_lat, seeker.home_lng, seeker.travel_km)).encode()
    ).hexdigest()[:16]
    key = f"stations:course-reasons:{seeker.pk}:{today:%Y%m%d}:{fingerprint}"
    found: list[tuple[int, str, int]] | None = cache.get(key)
    if found is None:
        found = _course_reason_counts(seeker=seeker, held=held, work_types=work_types, today=today)
        cache.set(key, found, COURSE_REASON_CACHE_SECONDS)
    return [CourseReason(s, name, n) for s, name, n in found if n >= minimum]


def _course_reason_counts(
    *, seeker: SeekerRegistration, held: list[int], work_types: list[str], today: dt.date
) -> list[tuple[int, str, int]]:
    taught = Course.objects.filter(starts_on__gte=today).exclude(skill_id__in=held).values("skill_id")
    postings: QuerySet[JobPosting] = JobPosting.objects.filter(status=PostingStatus.PUBLISHED).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    if work_types:
        postings = postings.filter(work_type__in=work_types)
    postings = within_km(postings, seeker.home_lat, seeker.home_lng, seeker.travel_km)
    # Another required skill the seeker lacks: then this course alone would not open the posting.
    other_gap = PostingSkill.objects.filter(posting_id=OuterRef("posting_id"), required=True).exclude(
        skill_id=OuterRef("skill_id")
    )
    if held:
        other_gap = other_gap.exclude(skill_id__in=held)
    counted = (
        PostingSkill.objects.filter(required=True, skill_id__in=taught, posting__in=postings.values("pk"))
        .filter(~Exists(other_gap))
        .values("skill_id", "skill__name")
        .annotate(n=Count("posting_id", distinct=True))
        .order_by("-n", "skill_id")
    )
    return [(r["skill_id"], r["skill__name"], r["n"]) for r in counted[:20]]
