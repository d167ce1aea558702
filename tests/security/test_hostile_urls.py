"""Every URL of the portal and the admin, with hostile values in every GET parameter the code reads
(and in its numeric path arguments): never a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PostingFactory, SeekerFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "\x00", "9" * 30, "abc", "-1", "１２"]
_READ = re.compile(r"""GET\.(?:get|getlist)\(\s*["']([A-Za-z0-9_]+)["']""")
# The admin's own parameters and the filters' (django-filter / list_filter field names).
ADMIN_PARAMS = ["p", "o", "q", "e", "all", "_to_field", "_popup", "term", "app_label", "model_name", "field_name"]
FILTER_PARAMS = ["district", "town", "category", "skill", "site", "near", "km", "wage", "days", "page", "cursor"]


def _read_params() -> list[str]:
    names: set[str] = set(ADMIN_PARAMS) | set(FILTER_PARAMS)
    for top in ("xiangtan_jobs", "fairs", "markets", "stations", "matching"):
        for path in (Path(settings.BASE_DIR) / top).rglob("*.py"):
            names.update(_READ.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def _urls(resolver: URLResolver = None, prefix: str = "") -> list[str]:  # type: ignore[assignment]
    resolver = resolver or get_resolver()
    out: list[str] = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            out.extend(_urls(entry, pattern))
        elif isinstance(entry, URLPattern):
            out.append(pattern)
    return out


def _concrete(pattern: str, number: str) -> str | None:
    """The pattern as a path, numeric arguments replaced by ``number``; None when not a plain path."""
    path = pattern.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"<(?:int:|path:)?\w*(?:id|pk)\w*>", number, path)
    path = re.sub(r"\(\?P<\w*(?:id|pk)\w*>[^)]*\)", number, path)
    if "<" in path or "(" in path or "[" in path or "*" in path or "+" in path:
        return None
    return "/" + path


@pytest.fixture
def superuser(django_user_model, ref):
    return django_user_model.objects.create_superuser("root", password="pass-12345")


@pytest.mark.parametrize("actor", [None, "superuser", "alice", "dora"])
def test_no_hostile_value_reaches_a_500(client, ref, actor, request):
    posting = PostingFactory()
    SeekerFactory(phone="13900139001")
    if actor:
        user = request.getfixturevalue(actor)
        if actor == "dora":
            SeekerFactory(user=user, phone="13800138000")
        client.force_login(user)
    client.raise_request_exception = False  # count the 500s instead of stopping at the first
    params = _read_params()
    paths = set()
    for pattern in _urls():
        for number in (str(posting.pk), "99999999999999999999", "0"):
            path = _concrete(pattern, number)
            if path and not path.startswith(("/api/", "/static/")) and "logout" not in path:
                paths.add(path)
    assert len(paths) > 50, sorted(paths)
    failures = []
    for path in sorted(paths):
        for value in HOSTILE:
            response = client.get(path, {name: value for name in params})
            # /health/ answers 503 by design when a check fails (no worker heartbeat in tests).
            if response.status_code >= 500 and not path.startswith("/health/"):
                failures.append((path, value, response.status_code))
    assert not failures, sorted({path for path, _value, _status in failures})
