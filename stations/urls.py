"""Public URLs of the youth stations."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list_view, name="youthstation-list"),
    path("<int:pk>/", views.station_detail_view, name="youthstation-detail"),
    path("courses/", views.course_list_view, name="course-list"),
    path("courses/<int:pk>/enrol/", views.course_enrol_view, name="course-enrol"),
    path("courses/<int:pk>/roll/", views.course_roll_view, name="course-roll"),
    path("courses/<int:pk>/sessions/<int:session_pk>/", views.session_attendance_view, name="session-attendance"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel_view, name="enrolment-cancel"),
    path("enrolments/<int:pk>/complete/", views.enrolment_complete_view, name="enrolment-complete"),
    path("events/<int:pk>/signup/", views.event_signup_view, name="event-signup"),
    path("events/<int:pk>/attendance/", views.event_attendance_view, name="event-attendance"),
    path("event-signups/<int:pk>/cancel/", views.event_signup_cancel_view, name="event-signup-cancel"),
    path("startups/", views.showcase_view, name="startup-showcase"),
    path("slots/<int:pk>/book/", views.slot_book_view, name="slot-book"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel_view, name="booking-cancel"),
]
