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
    # The "1+3+N" network: gig posts (零工驿站) attached to a market, the smart HR market.
    path("posts/<int:pk>/", views.post_detail_view, name="gigpost-detail"),
    path("posts/<int:pk>/checkin/", views.post_checkin_view, name="gigpost-checkin"),
    path("posts/<int:pk>/poster/", views.post_poster_view, name="gigpost-poster"),
    path("hr/<int:pk>/", views.hr_market_detail_view, name="hrmarket-detail"),
]

# /jobs/<id>/poster/ (a posting's printable sheet): included by the project's urls under "jobs/".
posting_urlpatterns = (
    [path("<int:pk>/poster/", views.posting_poster_view, name="posting-poster")],
    "posters",
)
