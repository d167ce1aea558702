"""Pages that belong to no domain: the health check, the error pages."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page through the full middleware stack: the benchmark's yardstick."""
    return render(request, "common/healthz.html", {"status": "ok"})


# Errors that mean the database cannot be reached (a restart, a failover, a network blip), as
# opposed to a bug: the person gets "try again in a minute", with 503 and Retry-After.
DATABASE_AWAY = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the database away is a clean 503 page in Chinese (JSON under /api/); anything
    else Django's plain 500. Renders without the request's context processors (they read the
    database through the session and the user)."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_AWAY):
        logger.error("Database unavailable (%s): answered 503", type(exc).__name__)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": gettext("系统正在维护，请稍后再试"), "code": "unavailable", "errors": {}}, status=503
            )
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return django_server_error(request)
