"""Saved searches (订阅的搜索): save the job list's current search, delete one on /me/, and the
unsubscribe link of the alerts, which works without logging in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xiangtan_jobs.common.ratelimits import post_rate_limit
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.models import JobPosting, SavedSearch
from xiangtan_jobs.core.selectors import reference_data
from xiangtan_jobs.portal.alerts import (
    saved_search_create,
    saved_search_delete,
    saved_search_from_token,
    saved_search_query,
)
from xiangtan_jobs.portal.filters import PostingFilter
from xiangtan_jobs.portal.views.jobs import chips, session_home


def saved_search_label(data: QueryDict, home: tuple[float, float] | None) -> str:
    """A search in words, as its chips on the list read: 「关键词：保洁、雨湖区、日结」."""
    f = PostingFilter(data, queryset=JobPosting.objects.none(), home=home)
    f.qs  # noqa: B018 - validates and sets the place distances are measured from (no query runs)
    return "、".join(c["label"] for c in chips(f, reference_data())) or _("全部岗位")


@login_required
@require_POST
@post_rate_limit("saved_search")
def saved_search_save(request: HttpRequest) -> HttpResponse:
    """Save the job list's search (its query string comes in ``query``); back to that list."""
    data = QueryDict(request.POST.get("query", "")[:1000])
    back = f"/jobs/?{saved_search_query(data)}"
    try:
        search = saved_search_create(
            user=acting_user(request), data=data, label=saved_search_label(data, session_home(request))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(back)
    messages.success(
        request,
        _("已订阅「%(label)s」。有新岗位时，每天发一次站内信和短信告诉您；在「我的」页面可以取消。")
        % {"label": search.label},
    )
    return HttpResponseRedirect(back)


@login_required
@require_POST
def saved_search_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of my saved searches (from /me/)."""
    search = SavedSearch.objects.filter(pk=pk, user=acting_user(request)).first() if 0 < pk < 2**62 else None
    if search is None:
        raise Http404(_("没有找到这个订阅"))
    if request.POST.get("confirm") != "yes":
        return HttpResponseRedirect("/me/#saved-searches")
    saved_search_delete(search=search)
    messages.success(request, _("已取消订阅「%(label)s」，不会再收到它的提醒。") % {"label": search.label})
    return HttpResponseRedirect("/me/#saved-searches")


@require_http_methods(["GET", "POST"])
@post_rate_limit("saved_search")
def saved_search_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The alerts' unsubscribe link: no login, a signed token. The GET shows the search and one
    button; the POST stops it. A GET changes nothing, since the link previews of SMS and chat apps
    open every link they see (the reason RFC 8058's one-click unsubscribe is a POST too)."""
    genuine, search = saved_search_from_token(token=token)
    if not genuine:
        raise Http404(_("这个退订链接不完整。请从短信里完整地复制链接，或登录后在「我的」页面取消订阅。"))
    done = search is None
    label = search.label if search is not None else ""
    if request.method == "POST" and search is not None:
        saved_search_delete(search=search)
        done = True
    return render(request, "portal/savedsearch_unsubscribe.html", {"search": search, "label": label, "done": done})
