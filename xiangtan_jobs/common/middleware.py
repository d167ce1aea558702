"""Request middleware of the whole site."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the reader chose English with the header's switch (the language cookie).

    Django's own middleware follows the browser's Accept-Language, so a phone or an office PC set
    to English got ``lang="en"`` pages and an English admin; this is the city's Chinese service,
    and switching is one tap in every page's header.
    """

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META:
            # An API client has no language switch to press: it says what it reads in the header.
            code = translation.get_language_from_request(request)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # No "Vary: Accept-Language": the header no longer changes the page (the cookie does).
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query or a form field is never a person's input: 400 at the
    edge, before any view, filter or database sees it (PostgreSQL refuses NUL in text: a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            if request.path.startswith("/api/"):
                # The API's one error format (xiangtan_jobs.common.api), not a plain-text page.
                message = _("请求里有无效字符。")
                errors = {"non_field_errors": [message]}
                return JsonResponse({"detail": message, "code": "invalid", "errors": errors}, status=400)
            return HttpResponseBadRequest(
                "请求里有无效字符 (invalid character in the request)", content_type="text/plain; charset=utf-8"
            )
        if _TOO_LONG_NUMBER.search(request.path):
            # No id has 19 digits (parsing.MAX_ID): such a path names nothing, and a model admin's
            # object pages passed it to the database (OverflowError, a 500).
            raise Http404
        return self.get_response(request)


_TOO_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{19,}(?![0-9])")


def _has_nul(data: Any) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class PersonalPagesNoStoreMiddleware:
    """``Cache-Control: no-store`` on pages that show or take personal data (settings.NO_STORE_PATHS:
    /me/, registration, login, the admin), so that neither a shared PC's browser nor a proxy keeps
    a copy; and a staff session ends after ``STAFF_SESSION_IDLE_SECONDS`` without a request
    (seekers keep the longer SESSION_COOKIE_AGE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            staff_session_touch(request)
        response = self.get_response(request)
        if request.path.startswith(tuple(settings.NO_STORE_PATHS)):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


STAFF_SEEN_KEY = "staff_seen"
# The idle clock is restarted at most once a minute: a session write on every admin request would
# cost a query each (the lists' query budgets), for a precision nobody needs.
_TOUCH_EVERY = 60


def staff_session_touch(request: HttpRequest, *, force: bool = False) -> None:
    """Restart a staff session's idle clock: it now ends STAFF_SESSION_IDLE_SECONDS from now."""
    now = int(time.time())
    seen = request.session.get(STAFF_SEEN_KEY, 0)
    if force or not isinstance(seen, int) or now - seen >= _TOUCH_EVERY:
        request.session[STAFF_SEEN_KEY] = now
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


def staff_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in: a staff session is an idle-timed one from its first request."""
    if request is not None and getattr(user, "is_staff", False) and hasattr(request, "session"):
        staff_session_touch(request, force=True)
