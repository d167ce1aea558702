"""The Content-Security-Policy (django-csp) blocks nothing our own pages need: every page of the
portal and the operators' admin loads in Chromium with no CSP violation, and the header is sent."""

from __future__ import annotations

import pytest

from tests.factories import EmployerFactory, PostingFactory

pytestmark = pytest.mark.browser

PORTAL = ["/", "/jobs/", "/jobs/?q=保洁", "/register/", "/accounts/login/", "/accounts/login/sms/", "/privacy/",
          "/markets/", "/stations/", "/fairs/"]  # fmt: skip
ADMIN = [
    "/admin/",
    "/admin/core/jobposting/",
    "/admin/core/jobposting/add/",
    "/admin/core/seekerregistration/",
    "/admin/core/seekerregistration/add/",
    "/admin/core/jobposting/import/",
    "/admin/matching/match/",
]


def violations_on(page, url: str) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), url
    page.wait_for_load_state("networkidle")
    return seen


def test_no_page_breaks_the_content_security_policy(server, laptop, alice, yuhu):
    posting = PostingFactory(service_point=yuhu, employer=EmployerFactory(service_point=yuhu))
    found = {}
    for path in [*PORTAL, f"/jobs/{posting.pk}/"]:
        found[path] = violations_on(laptop, server.url + path)
    laptop.goto(server.url + "/admin/login/")
    laptop.fill("#id_username", "alice")
    laptop.fill("#id_password", "pass-12345")
    laptop.click("input[type=submit]")
    laptop.wait_for_url("**/admin/")
    for path in [*ADMIN, f"/admin/core/jobposting/{posting.pk}/change/"]:
        found[path] = violations_on(laptop, server.url + path)
    assert {path: v for path, v in found.items() if v} == {}
