"""Public pages of the gig markets (零工市场): list and detail, today's gigs, the hall's big screen,
the QR check-in and its printable poster."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xiangtan_jobs.common.parsing import parse_int
from xiangtan_jobs.common.ratelimits import post_rate_limit
from xiangtan_jobs.core.models import Area
from xiangtan_jobs.core.presenters import place_text, service_point_context, wage_text
from xiangtan_jobs.core.selectors import posting_detail, reference_data, seeker_current

from .enums import GATED_FOCUSES, CheckinPurpose
from .forms import CheckinForm
from .models import GigMarket, GigPost
from .selectors import (
    NEAR_DEFAULT_KM,
    NEAR_MAX_KM,
    GigRow,
    gig_post_get,
    gig_post_list,
    gigs_near,
    hr_market_get,
    hr_market_list,
    market_board,
    market_day_figures,
    market_focus_skills,
    market_get,
    market_list,
    markets_today,
    posting_day_gigs,
)
from .services import market_check_in

# The big screen: rows per page, seconds a page stays, seconds between data polls (settings
# MARKETS_SCREEN_PAGE_SECONDS / MARKETS_SCREEN_POLL_SECONDS change the two times).
SCREEN_PAGE_SIZE = 6
SCREEN_PAGE_SECONDS = 15
SCREEN_POLL_SECONDS = 30
# With JavaScript on, the page still reloads itself now and then (a TV left on for days).
SCREEN_RELOAD_SECONDS = 600


def _market_or_404(pk: int) -> GigMarket:
    site = market_get(pk=pk)
    if site is None:
        raise Http404(_("没有找到这个零工市场"))
    return site


def _post_or_404(pk: int) -> GigPost:
    post = gig_post_get(pk=pk)
    if post is None:
        raise Http404(_("没有找到这个零工驿站"))
    return post


def market_list_view(request: HttpRequest) -> HttpResponse:
    """The gig markets, their gig posts and the smart HR market: the city's "1+3+N" points for day work."""
    context = {"sites": market_list(), "posts": list(gig_post_list()), "hr_markets": list(hr_market_list())}
    return render(request, "markets/gigmarket_list.html", context)


def post_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A gig post's page: where, when, the market it belongs to, its own check-in."""
    post = _post_or_404(pk)
    return render(request, "markets/gigpost_detail.html", service_point_context(post, _("零工驿站")))


def hr_market_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The smart HR market's page (智慧人力资源市场): address, services, the postings collected there."""
    site = hr_market_get(pk=pk)
    if site is None:
        raise Http404(_("没有找到这个人力资源市场"))
    return render(request, "markets/hrmarket_detail.html", service_point_context(site, _("人力资源市场")))


def market_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Address, hours, phone, services offered and the postings collected here."""
    site = _market_or_404(pk)
    context = {
        **service_point_context(site, _("零工市场")),
        **_focus_context(site),
        "posts": list(gig_post_list(market=site)),
    }
    return render(request, "markets/gigmarket_detail.html", context)


def _focus_context(site: GigMarket) -> dict[str, Any]:
    """An industry market's trade: its skills, and whether its gigs need a certificate or training."""
    return {"focus_skills": market_focus_skills(market=site), "gated": site.focus in GATED_FOCUSES}


def _day_label(row: GigRow, today: Any) -> str:
    return _("今天") if row.work_date == today else _("明天")


@require_GET
def market_today_view(request: HttpRequest, pk: int) -> HttpResponse:
    """今日零工: today's and tomorrow's day gigs at this market and nearby, each one tap to apply."""
    site = _market_or_404(pk)
    board = market_board(market=site)
    here = reverse("markets:gigmarket-today", args=[site.pk])

    def rows(items: list[GigRow]) -> list[dict[str, Any]]:
        return [{"gig": r, "day": _day_label(r, board.today)} for r in items]

    context = {
        "site": site,
        "own": rows(board.own),
        "nearby": rows(board.nearby),
        "today": board.today,
        "here": here,
        **_focus_context(site),
    }
    return render(request, "markets/gigmarket_today.html", context)


@require_GET
def gigs_near_view(request: HttpRequest) -> HttpResponse:
    """今日零工 near the seeker (the home page's button): today's and tomorrow's day gigs around
    their home (within the distance they travel), or around a district they pick; a seeker who
    has said nothing picks a district or a market, and is not shown the whole city's gigs."""
    ref = reference_data()
    today = timezone.localdate()
    near = parse_int(request.GET.get("near"))
    district = dict(ref.districts).get(near) if near is not None else None
    point: tuple[float, float] | None = None
    where, km = "", float(NEAR_DEFAULT_KM)
    if district is not None:
        area = Area.objects.filter(pk=near or 0, parent__isnull=True).values_list("lat", "lng").first()
        if area is not None:
            point, where = (area[0], area[1]), _("%(name)s附近") % {"name": district}
    else:
        registration = seeker_current(user=request.user)
        if registration is not None and registration.home_lat is not None and registration.home_lng is not None:
            point, where = (registration.home_lat, registration.home_lng), _("您家附近")
            km = float(min(max(registration.travel_km, 3), NEAR_MAX_KM))
    rows = gigs_near(lat=point[0], lng=point[1], km=km, today=today) if point is not None else []
    context = {
        "today": today,
        "where": where,
        "km": int(km),
        "located": point is not None,
        "rows": [{"gig": r, "day": _day_label(r, today)} for r in rows],
        "districts": ref.districts,
        "near": near if district is not None else None,
        "markets": [] if rows else markets_today(today=today),
        "here": request.get_full_path(),
    }
    return render(request, "markets/gigs_near.html", context)


def _screen_rows(site: GigMarket) -> list[GigRow]:
    return market_board(market=site, with_nearby=False).own


@require_GET
@never_cache
def market_screen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall's big screen (大屏): today's gigs page by page, headcount left, the day's figures."""
    site = _market_or_404(pk)
    today = timezone.localdate()
    rows = _screen_rows(site)
    pages = [rows[i : i + SCREEN_PAGE_SIZE] for i in range(0, len(rows), SCREEN_PAGE_SIZE)] or [[]]
    page = parse_int(request.GET.get("page"), minimum=1) or 1
    page = (page - 1) % len(pages) + 1
    figures = market_day_figures(market=site, day=today)
    context = {
        "site": site,
        "today": today,
        "pages": [
            {"number": n, "rows": [{"gig": r, "day": _day_label(r, today)} for r in p], "shown": n == page}
            for n, p in enumerate(pages, start=1)
        ],
        "page_count": len(pages),
        "next_page": page % len(pages) + 1,
        "figures": figures,
        "page_seconds": int(getattr(settings, "MARKETS_SCREEN_PAGE_SECONDS", SCREEN_PAGE_SECONDS)),
        "poll_seconds": int(getattr(settings, "MARKETS_SCREEN_POLL_SECONDS", SCREEN_POLL_SECONDS)),
        "reload_seconds": SCREEN_RELOAD_SECONDS,
        "updated": timezone.localtime(),
    }
    return render(request, "markets/gigmarket_screen.html", context)


@require_GET
@never_cache
def market_screen_data_view(request: HttpRequest, pk: int) -> JsonResponse:
    """What the big screen's script polls: each gig's headcount left and the day's figures."""
    site = _market_or_404(pk)
    figures = market_day_figures(market=site)
    return JsonResponse(
        {
            "gigs": [r.as_json() for r in _screen_rows(site)],
            "served": figures.served,
            "filled": figures.filled,
            "updated": timezone.localtime().strftime("%H:%M"),
        }
    )


def checkin_url(site: GigMarket | GigPost) -> str:
    """The address the site's QR code encodes (stable: printed posters point at it)."""
    name = "markets:gigpost-checkin" if isinstance(site, GigPost) else "markets:gigmarket-checkin"
    return settings.PUBLIC_URL.rstrip("/") + reverse(name, args=[site.pk])


@require_http_methods(["GET", "POST"])
@post_rate_limit("checkin")
def market_checkin_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR check-in: log in (or register) with this page as `next`, pick what you came for."""
    site = _market_or_404(pk)
    return _checkin(request, site=site, board=site)


@require_http_methods(["GET", "POST"])
@post_rate_limit("checkin")
def post_checkin_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A gig post's own QR check-in: the market's check-in, the person-time counted at the post."""
    post = _post_or_404(pk)
    return _checkin(request, site=post, board=post.market)


def _checkin(request: HttpRequest, *, site: GigMarket | GigPost, board: GigMarket) -> HttpResponse:
    """The check-in of a market or one of its gig posts (``site``); ``board``: the market whose
    今日零工 the seeker goes on to."""
    here = request.path
    context: dict[str, Any] = {"site": site, "board": board}
    if not request.user.is_authenticated:
        nxt = urlencode({"next": here})
        context.update(
            login_url=f"{reverse('accounts:login')}?{nxt}",
            sms_url=f"{reverse('accounts:login-sms')}?{nxt}",
            register_url=reverse("portal:register"),
        )
        return render(request, "markets/gigmarket_checkin_login.html", context)
    registration = seeker_current(user=request.user)
    if registration is None:
        context["register_url"] = reverse("portal:register")
        return render(request, "markets/gigmarket_checkin_register.html", context)
    form = CheckinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            _record, created = market_check_in(market=site, seeker=registration, kind=kind)
        except ValidationError as exc:
            form.add_error("kind", exc)
        else:
            label = CheckinPurpose(kind).label
            if created:
                messages.success(request, _("签到成功：%(what)s。请到服务台，工作人员会为您办理。") % {"what": label})
            else:
                messages.info(request, _("您今天已经签到过「%(what)s」了，不用再签。") % {"what": label})
            return HttpResponseRedirect(reverse("markets:gigmarket-today", args=[board.pk]))
    context.update(form=form, registration=registration)
    return render(request, "markets/gigmarket_checkin.html", context, status=400 if form.errors else 200)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (segno: presentation attributes only, no style
    attribute, so CSP allows it; A4 size comes from the print stylesheet)."""
    svg: str = segno.make(url, error="m").svg_inline(scale=12, border=2, dark="#000", light="#fff", omitsize=True)
    return svg


@require_GET
def market_poster_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 poster for the market's door: a QR code to the check-in page (print from the browser)."""
    return _poster(request, _market_or_404(pk))


@require_GET
def post_poster_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 poster of a gig post's door: its own check-in QR code."""
    return _poster(request, _post_or_404(pk))


def _poster(request: HttpRequest, site: GigMarket | GigPost) -> HttpResponse:
    url = checkin_url(site)
    # segno's own SVG of the check-in address: no user input in it.
    context = {"site": site, "url": url, "qr": mark_safe(qr_svg(url))}  # noqa: S308  # nosec B308 B703
    return render(request, "markets/gigmarket_poster.html", context)


def posting_url(posting_id: int) -> str:
    """The public address of a posting's page (what its poster's QR code encodes)."""
    return settings.PUBLIC_URL.rstrip("/") + reverse("portal:posting-detail", args=[posting_id])


@require_GET
def posting_poster_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Any open posting as an A4 sheet for a market's notice wall: what, how much, where, when,
    who to call, and a QR code to its page (where a seeker applies from the phone)."""
    posting = posting_detail(pk=pk)
    if posting is None or not posting.is_open:
        # A closed posting's sheet on a wall would send people to a job they cannot apply for.
        raise Http404(_("这个岗位已停止招聘，不能打印海报"))
    url = posting_url(posting.pk)
    site = posting.service_point
    context = {
        "posting": posting,
        "wage": wage_text(posting.wage_min, posting.wage_max, posting.wage_unit),
        "place": place_text(reference_data().area_label(posting.area_id), posting.address),
        "skills": sorted(posting.posting_skills.all(), key=lambda ps: (not ps.required, ps.skill.code)),
        "gigs": posting_day_gigs(posting_id=posting.pk),
        "site": site,
        "url": url,
        # segno's own SVG of the posting's address: no user input in it.
        "qr": mark_safe(qr_svg(url)),  # noqa: S308  # nosec B308 B703
    }
    return render(request, "markets/jobposting_poster.html", context)
