"""Read-side queries of the youth stations (public pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xiangtan_jobs.core.enums import PostingStatus, ServicePointStatus

from .enums import BookingStatus, EnrolmentStatus
from .models import ConsultationBooking, ConsultationSlot, Course, YouthStation


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
