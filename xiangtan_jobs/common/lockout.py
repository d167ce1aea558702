"""Login lockout (django-axes): who a failed login is counted against, and the page a locked
reader sees.

Failures count per account and per address (settings.AXES_LOCKOUT_PARAMETERS). The account is
stored as the digest of the normalised phone or username, never the phone itself, so the
attempt table holds no personal data in clear; ``manage.py login_unlock`` computes the same
digest to unlock an account (see the README).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.validators import normalize_mobile


def login_key(value: str) -> str:
    """The account key a login name is counted under: the digest of the phone in any spelling."""
    text = str(value or "")
    phone = normalize_mobile(text)
    return pii_digest(phone if phone.isdigit() else text.strip())


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the typed login name as its digest ("" when none was typed)."""
    field = "username"  # the field of both login forms (AXES_USERNAME_FORM_FIELD's default)
    raw = (credentials or {}).get(field) or (request.POST.get(field, "") if request is not None else "")
    return login_key(raw) if raw else ""


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a Chinese page saying how long to wait and where to get help."""
    context = {"hours": settings.AXES_COOLOFF_TIME, "admin": request.path.startswith("/admin/")}
    return render(request, "registration/locked_out.html", context, status=429)
