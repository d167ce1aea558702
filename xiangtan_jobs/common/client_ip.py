"""The client's address, for rate limits (django-ratelimit's RATELIMIT_IP_META_KEY)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the proxy saw (settings.CLIENT_IP_HEADER), else REMOTE_ADDR; never raises."""
    # Behind the reverse proxy REMOTE_ADDR is the proxy itself, and every seeker would share one
    # limit. Of a list (X-Forwarded-For) only the last entry, the one our proxy added, is trusted.
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    for value in (request.META.get(header, "") if header else "", request.META.get("REMOTE_ADDR", "")):
        candidate = str(value).split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return "0.0.0.0"  # nosec B104 # noqa: S104  # a unix socket without the header: one shared limit
