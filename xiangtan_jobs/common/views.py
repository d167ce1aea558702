"""Pages that belong to no domain: the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page through the full middleware stack: the benchmark's yardstick."""
    return render(request, "common/healthz.html", {"status": "ok"})
