"""Project-level pages that bring several apps together: the home page and the header switches."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fairs.selectors import fair_next
from xiangtan_jobs.common.context_processors import ELDER_COOKIE
from xiangtan_jobs.portal.selectors import home_summary
from xiangtan_jobs.portal.views.jobs import SITE_PAGES


def home(request: HttpRequest) -> HttpResponse:
    """One search box, the big buttons, the next fair and today's count of open postings."""
    summary = home_summary()
    real = [
        {"name": s["name"], "url": reverse(SITE_PAGES[s["kind"]], args=[s["pk"]])}
        for s in cast("list[dict[str, Any]]", summary.pop("real_sites"))
        if s["kind"] in SITE_PAGES
    ]
    return render(request, "portal/home.html", {**summary, "real_sites": real, "next_fair": fair_next()})


@require_POST
def elder_mode_toggle(request: HttpRequest) -> HttpResponse:
    """Switch the elder mode (长辈版) on or off and go back to the page the reader was on."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(ELDER_COOKIE) == "1":
        response.delete_cookie(ELDER_COOKIE)
    else:
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response
