"""Structured logs: one JSON line per request with a request id that follows the request into the
Celery tasks it queues; phones and ID numbers never reach a log line or an error report in clear.

The request id is taken from ``X-Request-ID`` (set by the reverse proxy) when it looks like one,
or made here; it is sent back in the response, put on every log record while the request (or a
task it queued) runs, and carried to the worker in the task message's headers.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pythonjsonlogger.json
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str] = ContextVar("request_id", default="")
# What a proxy's id looks like (a UUID, a hex or base64 token); anything else is replaced, so a
# client cannot write newlines or markup into the logs through the header.
_VALID_ID = re.compile(r"[A-Za-z0-9._:+/=-]{8,128}")

request_logger = logging.getLogger("xiangtan_jobs.request")


def current_request_id() -> str:
    """The request id of the request or task running now ("" outside both)."""
    return _request_id.get()


@contextmanager
def request_id_scope(request_id: str) -> Iterator[str]:
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


def _new_id() -> str:
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Gives every request an id and writes one log line when it is answered (no query values)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _VALID_ID.fullmatch(given) else _new_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        start = time.monotonic()
        with request_id_scope(request_id):
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    # Only the names of the parameters: their values are what people typed.
                    "query_keys": sorted(request.GET.keys()),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - start) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        return response


class RequestIdFilter(logging.Filter):
    """Puts the running request's (or task's) id on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get()
        return True


# A mainland mobile number (optionally +86 / 86) and an 18-digit resident ID, not inside a longer
# run of digits (a timestamp or an id is left alone).
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])")
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")


def redact(text: str) -> str:
    """``text`` with every phone number and ID number masked as the pages mask them."""
    from xiangtan_jobs.common.masking import mask_phone, mask_resident_id

    text = _RESIDENT_ID.sub(lambda m: mask_resident_id(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """One JSON object a line (python-json-logger), phones and ID numbers masked in all of it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class TextFormatter(logging.Formatter):
    """Plain lines for a terminal (LOG_FORMAT=text), masked like the JSON ones."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def sentry_before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Masks phones and ID numbers anywhere in an error report's text before it leaves."""
    return _redact_deep(event)


def _redact_deep(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_deep(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_deep(item) for item in value]
    return value


# --- Celery: the id travels in the message headers and is set around the task's run -------------

_task_scopes: dict[str, Any] = {}


@before_task_publish.connect(dispatch_uid="logs.request_id_publish")
def _add_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect(dispatch_uid="logs.request_id_prerun")
def _task_request_id(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get("request_id")
    if not isinstance(request_id, str) or not _VALID_ID.fullmatch(request_id):
        request_id = f"task-{task_id}"  # queued by beat or a command: the task is its own origin
    _task_scopes[task_id or ""] = _request_id.set(request_id)


@task_postrun.connect(dispatch_uid="logs.request_id_postrun")
def _task_request_id_done(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_scopes.pop(task_id or "", None)
    if token is not None:
        try:
            _request_id.reset(token)
        except ValueError:  # set in another context (a pool that moved the task): just clear it
            _request_id.set("")
