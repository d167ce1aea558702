"""The API's shared pieces: one error format, strict numbers, cursor pages, throttles.

Every error answers the same shape, in the request's language (Chinese unless the client sent
``Accept-Language: en``)::

    {"detail": "请求参数有误。", "code": "invalid", "errors": {"wage": ["请输入一个数字。"]}}

``errors`` is present for invalid input only (400), keyed by field (``non_field_errors`` for
the request as a whole). Django's own ``ValidationError`` and ``PermissionDenied`` raised by a
service become 400 and 403 in that shape, so a view never needs to translate them itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, pagination, serializers, throttling
from rest_framework.request import Request
from rest_framework.response import Response

from xiangtan_jobs.common.client_ip import client_ip
from xiangtan_jobs.common.parsing import parse_decimal, parse_id, parse_int


def _field_errors(detail: Any) -> dict[str, Any]:
    """DRF's nested error detail as ``{field: [messages]}`` (nested objects keep their nesting)."""
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _messages(v) for k, v in value.items()}
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return [str(v) for v in value]
        return [_messages(v) for v in value]
    return [str(value)]


def _from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler with services' Django exceptions mapped and one body shape for every error."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    # Imported here: rest_framework.views reads DEFAULT_THROTTLE_CLASSES / DEFAULT_PAGINATION_CLASS
    # (classes of this module) when it is first imported, so importing it at the top made this
    # module import itself half-built whenever it was imported first (a Celery worker's checks).
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("请求参数有误。"), "code": "invalid", "errors": _field_errors(exc.detail)}
    elif isinstance(exc, exceptions.ParseError):
        # DRF's own text names the JSON decoder's complaint, in English whatever the language.
        message = _("请求体无法解析：请发送有效的 JSON。")
        response.data = {"detail": message, "code": "parse_error", "errors": {"non_field_errors": [message]}}
    else:
        detail = exc.detail
        codes = exc.get_codes()
        response.data = {
            "detail": str(detail) if not isinstance(detail, (dict, list)) else str(exc.default_detail),
            "code": codes if isinstance(codes, str) else exc.default_code,
        }
    return response


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/v1/: the error format, not the site's HTML 404 page."""
    return JsonResponse({"detail": _("未找到。"), "code": "not_found"}, status=404)


# --- Strict input fields ------------------------------------------------------------------------


def resident_id_value(value: str) -> str:
    """An ID number from an API body, normalised and checksum-checked ("" when not given)."""
    from xiangtan_jobs.common.validators import normalize_resident_id, validate_resident_id

    if not value:
        return ""
    number = normalize_resident_id(value)
    try:
        validate_resident_id(number)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None
    return number


class StrictIntegerField(serializers.IntegerField):
    """An integer in ASCII digits only (``common.parsing``): 「１２」, 「²」 or 「1_0」 are refused."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool):
            self.fail("invalid")
        number = parse_int(data)
        if number is None:
            if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
                self.fail("max_string_length")
            self.fail("invalid")
        assert number is not None
        self.run_validators(number)
        return number


class StrictDecimalField(serializers.DecimalField):
    """An amount in ASCII digits with at most two decimals (``common.parsing.parse_decimal``), as
    a JSON number or a string; written back as a JSON number (0.5, 210)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        number = parse_decimal(data)
        if number is None:
            if isinstance(data, str) and len(data) > self.MAX_STRING_LENGTH:
                self.fail("max_string_length")
            self.fail("invalid")
        assert number is not None
        self.run_validators(number)
        return number


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id parsed as an id (``parse_id``) before any query."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or parse_id(data) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(parse_id(data))


# --- Pagination --------------------------------------------------------------------------------


class IdCursorPagination(pagination.CursorPagination):
    """Cursor pages in id order: stable while rows are added, no OFFSET, ``page_size`` ≤ 200."""

    ordering = ("id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = _lazy("无效的分页游标。")  # type: ignore[assignment]  # lazy: the request's language

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        size = parse_int(raw, minimum=1, maximum=self.max_page_size)
        if size is None:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("每页条数须为 1 到 %(n)d 之间的整数。") % {"n": self.max_page_size}]}
            )
        return size


# --- Throttles: per API token, per logged-in user, per address ----------------------------------


class _SettingsRateThrottle(throttling.SimpleRateThrottle):
    """Rates read from ``settings.API_THROTTLE_RATES`` at each request (so tests can change them)."""

    def __init__(self) -> None:  # SimpleRateThrottle reads the rate at construction
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str | None:
        return getattr(settings, "API_THROTTLE_RATES", {}).get(self.scope)

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


def _token_id(request: Request) -> int | None:
    auth = getattr(request, "auth", None)
    return getattr(auth, "throttle_id", None)


class TokenRateThrottle(_SettingsRateThrottle):
    """Requests made with an API token: one budget per token (a partner system)."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token_id = _token_id(request)
        return None if token_id is None else self.cache_format % {"scope": self.scope, "ident": token_id}


class UserRateThrottle(_SettingsRateThrottle):
    """Requests of a logged-in person (browser session): one budget per account."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if _token_id(request) is not None or not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(_SettingsRateThrottle):
    """Anonymous requests: one budget per client address (behind the proxy: CLIENT_IP_HEADER)."""

    scope = "address"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if _token_id(request) is not None or (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)


# --- Filters ----------------------------------------------------------------------------------


class IdFormField(forms.Field):
    """A row id in a query (``?category=12``), parsed by ``parse_id`` (never ``int()``)."""

    default_error_messages = {"invalid": _lazy("请输入一个有效的编号（正整数）。")}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdFilter(django_filters.Filter):
    """Filter on a foreign key's id without loading the row (no query to validate it)."""

    field_class = IdFormField
