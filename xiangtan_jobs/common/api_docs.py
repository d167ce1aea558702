"""The API's browsable docs at /api/docs/ (a separate module: DRF's settings import common.api)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar package (no CDN); its start-up script is a separate request
    (the split view) and the page has no inline style, so the site's CSP holds unchanged."""

    template_name = "api/swagger_ui.html"
    title = "湘潭市公共就业服务平台 API"
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
