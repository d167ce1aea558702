"""Public pages of the job fairs: upcoming and past fairs (sign-up comes later)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import fair_get, fair_past, fair_upcoming


def fair_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "fairs/jobfair_list.html", {"upcoming": fair_upcoming(), "past": fair_past()})


def fair_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = fair_get(pk=pk)
    if fair is None:
        raise Http404(_("没有找到这场招聘会"))
    return render(request, "fairs/jobfair_detail.html", {"fair": fair})
