"""Public URLs of the job fairs."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "fairs"
urlpatterns = [
    path("", views.fair_list_view, name="jobfair-list"),
    path("<int:pk>/", views.fair_detail_view, name="jobfair-detail"),
]
