"""The seeker's own pages under /me/."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.me, name="me"),
    path("edit/", views.edit, name="me-edit"),
    path("pause/", views.pause, name="me-pause"),
    path("messages/", views.messages_list, name="me-messages"),
    path("data/", views.data_download, name="me-data"),
    path("delete/", views.delete, name="me-delete"),
    path("apply/<int:posting_id>/", views.apply, name="apply"),
    path("applications/<int:match_id>/withdraw/", views.withdraw, name="withdraw"),
    path("recommendations/<int:match_id>/", views.recommendation_open, name="recommendation-open"),
]
