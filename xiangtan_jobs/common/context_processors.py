"""Values every page template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

ELDER_COOKIE = "elder"


def site(request: HttpRequest) -> dict[str, object]:
    """The site's name and whether the reader chose the elder mode (长辈版)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
    }
