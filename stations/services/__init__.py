"""Write-side operations of the youth stations, one module per workflow: consultations, training
courses, recruitment events, startup incubation. Every service given is recorded once as a
core.ServiceRecord (a person-time, docs/kpis.md), and every event held as a core.SiteEvent."""

from __future__ import annotations

from .consultations import (
    TOPIC_SERVICE_KIND,
    booking_cancel,
    booking_create,
    consultation_check,
    consultation_record,
    consultation_reminders_send,
    slot_check,
    slot_create,
)
from .courses import course_enrol, enrolment_cancel, enrolment_complete, session_attendance_set
from .events import (
    EVENT_SERVICE_KIND,
    event_attendance_mark,
    event_attendance_undo,
    event_check,
    event_signup,
    event_signup_cancel,
    event_sync,
)
from .incubation import project_service_record

__all__ = [
    "EVENT_SERVICE_KIND",
    "TOPIC_SERVICE_KIND",
    "booking_cancel",
    "booking_create",
    "consultation_check",
    "consultation_record",
    "consultation_reminders_send",
    "course_enrol",
    "enrolment_cancel",
    "enrolment_complete",
    "event_attendance_mark",
    "event_attendance_undo",
    "event_check",
    "event_signup",
    "event_signup_cancel",
    "event_sync",
    "project_service_record",
    "session_attendance_set",
    "slot_check",
    "slot_create",
]
