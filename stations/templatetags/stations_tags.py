"""The seeker's youth-station business as blocks of their page (/me/):
``{% my_station_services registration %}`` (bookings, courses, events, projects) and
``{% course_reasons registration %}`` (courses that would open more postings)."""

from __future__ import annotations

from typing import Any

from django import template

from stations.selectors import (
    seeker_course_reasons,
    seeker_enrolments,
    seeker_event_signups,
    seeker_projects,
    seeker_upcoming_bookings,
)

register = template.Library()


@register.inclusion_tag("stations/includes/my_station_services.html")
def my_station_services(registration: Any) -> dict[str, Any]:
    return {
        "bookings": seeker_upcoming_bookings(seeker=registration),
        "enrolments": seeker_enrolments(seeker=registration),
        "event_signups": seeker_event_signups(seeker=registration),
        "projects": seeker_projects(seeker=registration),
    }


@register.inclusion_tag("stations/includes/course_reasons.html")
def course_reasons(registration: Any) -> dict[str, Any]:
    return {"reasons": seeker_course_reasons(seeker=registration)[:3]}
