"""Public URLs of the gig markets."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "markets"
urlpatterns = [
    path("", views.market_list_view, name="gigmarket-list"),
    path("<int:pk>/", views.market_detail_view, name="gigmarket-detail"),
]
