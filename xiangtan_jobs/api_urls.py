"""The public API under /api/v1/: each app's ``api/urls.py`` is collected here."""

from __future__ import annotations

app_name = "api"
urlpatterns: list[object] = []
