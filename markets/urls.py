"""Public URLs of the gig markets (keep them stable: posters and TVs point at them)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "markets"
urlpatterns = [
    path("", views.market_list_view, name="gigmarket-list"),
    path("today/", views.gigs_near_view, name="gigs-near"),
    path("<int:pk>/", views.market_detail_view, name="gigmarket-detail"),
    path("<int:pk>/today/", views.market_today_view, name="gigmarket-today"),
    path("<int:pk>/screen/", views.market_screen_view, name="gigmarket-screen"),
    path("<int:pk>/screen/data/", views.market_screen_data_view, name="gigmarket-screen-data"),
    path("<int:pk>/checkin/", views.market_checkin_view, name="gigmarket-checkin"),
    path("<int:pk>/poster/", views.market_poster_view, name="gigmarket-poster"),
]

# /jobs/<id>/poster/ (a posting's printable sheet): included by the project's urls under "jobs/".
posting_urlpatterns = (
    [path("<int:pk>/poster/", views.posting_poster_view, name="posting-poster")],
    "posters",
)
