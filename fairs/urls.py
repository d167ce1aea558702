"""URLs of the job fairs (keep them stable: other services link to them)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "fairs"
urlpatterns = [
    path("", views.fair_list_view, name="jobfair-list"),
    path("<int:pk>/", views.fair_detail_view, name="jobfair-detail"),
    path("<int:pk>/signup/", views.signup_view, name="signup"),
    path("<int:pk>/checkin/", views.checkin_view, name="checkin"),
    path("<int:pk>/checkin/walk-in/", views.walk_in_view, name="walk-in"),
    path("<int:pk>/booths/", views.booth_list_view, name="booths"),
    path("<int:pk>/booths/<int:exhibitor_pk>/", views.booth_view, name="booth"),
    path("<int:pk>/results/", views.results_view, name="results"),
    path("tickets/<int:pk>/", views.ticket_view, name="ticket"),
    path("tickets/<int:pk>/cancel/", views.ticket_cancel_view, name="ticket-cancel"),
    path("invitations/<int:pk>/answer/", views.invitation_answer_view, name="invitation-answer"),
]
