"""The public API under /api/v1/: each app's ``api/urls.py`` is collected here."""

from __future__ import annotations

from django.urls import include, path, re_path

from xiangtan_jobs.common.api import api_not_found

app_name = "api"
urlpatterns: list[object] = [
    path("", include("xiangtan_jobs.core.api.urls")),
    path("", include("xiangtan_jobs.portal.api.urls")),
    path("", include("fairs.api.urls")),
    path("", include("matching.api.urls")),
    path("", include("xiangtan_jobs.dashboard.api.urls")),
    re_path(r"^.*$", api_not_found),
]
