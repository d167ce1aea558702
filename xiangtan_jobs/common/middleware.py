"""Request middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
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
        return self.get_response(request)


def _has_nul(data: Any) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)
