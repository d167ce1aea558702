"""Public pages of the gig markets (零工市场): list and detail with current postings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xiangtan_jobs.core.presenters import service_point_context

from .selectors import market_get, market_list


def market_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "markets/gigmarket_list.html", {"sites": market_list()})


def market_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Address, hours, phone, services offered and the postings collected here."""
    site = market_get(pk=pk)
    if site is None:
        raise Http404(_("没有找到这个零工市场"))
    return render(request, "markets/gigmarket_detail.html", service_point_context(site, _("零工市场")))
