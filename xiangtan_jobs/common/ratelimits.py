"""Rate limits on the portal's writes (django-ratelimit, counted in the default cache).

One decorator for every form that writes: ``@post_rate_limit("register")`` counts each POST per
client address and, for a logged-in reader, per account, at the rates of
``settings.POST_RATE_LIMITS[name]``; over a limit the reader gets a 429 page in Chinese instead of
the view. The SMS login keeps its own finer limits (portal/views/accounts.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def over_limit(request: HttpRequest, name: str) -> bool:
    """Count this POST under ``name``; True when the address or the account is over its rate."""
    rates = settings.POST_RATE_LIMITS[name]
    limited = is_ratelimited(
        request, group=f"post-{name}-ip", key="ip", rate=rates["ip"], method="POST", increment=True
    )
    if request.user.is_authenticated and rates.get("user"):
        limited |= is_ratelimited(
            request, group=f"post-{name}-user", key="user", rate=rates["user"], method="POST", increment=True
        )
    return limited


def too_many_response(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def post_rate_limit(name: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a view's POSTs with a 429 page once the address or the account sent too many."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and over_limit(request, name):
                return too_many_response(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
