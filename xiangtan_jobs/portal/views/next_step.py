"""Where a reader goes after logging in or registering (``next``), and why they were sent there.

A logged-out reader who taps 申请 is sent to the login page with ``next`` = the job's apply step;
the login page, its registration link and the registration wizard all keep it, so both ways bring
them back to that job. ``next`` comes from the address bar: only same-site paths are followed.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from xiangtan_jobs.core.models import JobPosting


def safe_next(request: HttpRequest, target: object) -> str:
    """``target`` if it is a path on this site (no other host, no scheme tricks), else ""."""
    if not isinstance(target, str) or not target or len(target) > 500:
        return ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    # A path only: an absolute address to this very host is allowed by Django but never needed here.
    return target if ok and target.startswith("/") and not target.startswith("//") else ""


def with_next(url: str, next_url: str, *, safe: str = "") -> str:
    return f"{url}?{urlencode({'next': next_url}, safe=safe)}" if next_url else url


def next_job(next_url: str) -> JobPosting | None:
    """The posting the reader was applying to (or reading) when sent to log in, if any."""
    if not next_url:
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    if match.view_name == "portal:apply":
        pk = match.kwargs.get("posting_id")
    elif match.view_name == "portal:posting-detail":
        pk = match.kwargs.get("pk")
    else:
        return None
    if not isinstance(pk, int) or not 0 < pk < 2**62:
        return None
    return JobPosting.objects.filter(pk=pk).only("pk", "title").first()


def next_context(request: HttpRequest, next_url: str) -> dict[str, object]:
    """What the login and registration pages show about where the reader is going."""
    job = next_job(next_url)
    return {
        "next": next_url,
        "next_job": job,
        "next_is_apply": job is not None and urlsplit(next_url).path.startswith("/me/apply/"),
        # Links in the page keep the slashes readable, as Django's |urlencode does.
        "register_url": with_next("/register/", next_url, safe="/"),
        "login_url": with_next("/accounts/login/", next_url, safe="/"),
        "sms_login_url": with_next("/accounts/login/sms/", next_url, safe="/"),
    }
