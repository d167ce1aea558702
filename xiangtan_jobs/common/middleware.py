"""Request middleware of the whole site."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the reader chose English with the header's switch (the language cookie).

    Django's own middleware follows the browser's Accept-Language, so a phone or an office PC set
    to English got ``lang="en"`` pages and an English admin; this is the city's Chinese service,
    and switching is one tap in every page's header.
    """

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # No "Vary: Accept-Language": the header no longer changes the page (the cookie does).
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
