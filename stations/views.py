"""Public pages of the youth stations (青年驿站): list and detail with current postings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xiangtan_jobs.core.presenters import service_point_context

from .selectors import station_get, station_list


def station_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "stations/youthstation_list.html", {"sites": station_list()})


def station_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Address, hours, phone, services offered and the postings collected here."""
    site = station_get(pk=pk)
    if site is None:
        raise Http404(_("没有找到这个青年驿站"))
    return render(request, "stations/youthstation_detail.html", service_point_context(site, _("青年驿站")))
