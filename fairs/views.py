"""Pages of the job fairs: the public list and fair page (exhibitors and their posts), the seeker's
sign-up, ticket and cancel, and the staff's check-in at the door."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage, is_ratelimited

from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.core.enums import WorkType
from xiangtan_jobs.core.models import User
from xiangtan_jobs.core.presenters import wage_text
from xiangtan_jobs.core.selectors import seeker_current

from .enums import InvitationStatus
from .forms import BoothOutcomeForm, CheckInForm, ExhibitorSearchForm, WalkInForm
from .models import JobFair
from .presenters import results_tables, ticket_qr_svg
from .selectors import (
    booth_outcomes_recent,
    fair_exhibitor_choices,
    fair_exhibitors_page,
    fair_get,
    fair_past,
    fair_picks,
    fair_series,
    fair_skill_choices,
    fair_staff_may_check_in,
    fair_staff_may_read_results,
    fair_upcoming,
    fairs_by_series,
    fairs_results,
    invitation_for_seeker,
    seeker_fair_signups,
    seeker_invitation,
    session_checkin_counts,
    session_places,
    session_today,
    signup_for_seeker,
)
from .services import (
    CheckInOutcome,
    WalkInInput,
    booth_outcome_record,
    fair_walk_in,
    invitation_set_status,
    results_export,
    signup_cancel,
    signup_check_in,
    signup_create,
)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def fair_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fairs/jobfair_list.html",
        {"upcoming": fairs_by_series(fair_upcoming()), "past": fairs_by_series(fair_past())},
    )


def _fair_or_404(pk: int) -> JobFair:
    fair = fair_get(pk=pk)
    if fair is None:
        raise Http404(_("没有找到这场招聘会"))
    return fair


def fair_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _fair_or_404(pk)
    form = ExhibitorSearchForm(request.GET or None)
    q = work_type = ""
    if form.is_valid():
        q, work_type = form.cleaned_data["q"].strip(), form.cleaned_data["work_type"]
    # ?exhibitor= shows one exhibitor with all its posts (the "more" link of a card cut short).
    exhibitor_id = parse_id(request.GET.get("exhibitor"))
    exhibitors = fair_exhibitors_page(
        fair=fair, skill=q, work_type=work_type, page=request.GET.get("page"), exhibitor_id=exhibitor_id
    )
    work_types = {k: str(v) for k, v in WorkType.choices}  # one lookup each, not a display call per post
    today = timezone.localdate()
    seeker = seeker_current(user=request.user)
    mine = {s.session_id: s for s in seeker_fair_signups(seeker=seeker, fair=fair)}
    upcoming_mine = [s for s in mine.values() if s.session.date >= today]
    places = [
        {"p": p, "mine": mine.get(p.session.pk), "past": p.session.date < today}
        for p in session_places(sessions=fair.sessions.all())
    ]
    context: dict[str, Any] = {
        "fair": fair,
        "places": places,
        "form": form,
        "filtered": bool(q or work_type or exhibitor_id),
        "one_exhibitor": exhibitor_id is not None,
        "page": exhibitors,
        "exhibitors": [
            {
                "exhibitor": e,
                "more": e.posts_count - len(e.shown_postings),  # type: ignore[attr-defined]
                "postings": [
                    {
                        "posting": p,
                        "wage": wage_text(p.wage_min, p.wage_max, p.wage_unit),
                        "work_type": work_types.get(p.work_type, ""),
                    }
                    for p in e.shown_postings  # type: ignore[attr-defined]
                ],
            }
            for e in exhibitors
        ],
        "open": fair.status == "published",
        # Before the day: the posts of this fair that suit a seeker who signed up, by the engine.
        "picks": fair_picks(fair=fair, seeker=seeker) if seeker is not None and upcoming_mine else [],
        "signed_up": bool(upcoming_mine),
        "invitation": seeker_invitation(seeker=seeker, fair=fair),
    }
    return render(request, "fairs/jobfair_detail.html", context)


@require_POST
def signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign up for one day of the fair (the session chosen in the form)."""
    fair = _fair_or_404(pk)
    back = reverse("fairs:jobfair-detail", args=[fair.pk])
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    seeker = seeker_current(user=request.user)
    if seeker is None:
        messages.info(request, _("报名前请先做求职登记，只要几分钟。"))
        return HttpResponseRedirect(reverse("portal:register"))
    session_id = parse_id(request.POST.get("session"))
    session = fair.sessions.filter(pk=session_id).first() if session_id else None
    if session is None:
        messages.error(request, _("请选择要报名的日期。"))
        return HttpResponseRedirect(back)
    user: User = request.user
    try:
        signup = signup_create(session=session, seeker=seeker, actor=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return HttpResponseRedirect(back)
    messages.success(
        request, _("报名成功：%(date)s。入场时出示下面的入场码。") % {"date": session.date.strftime("%Y-%m-%d")}
    )
    return HttpResponseRedirect(reverse("fairs:ticket", args=[signup.pk]))


@login_required
def ticket_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The seeker's own ticket: QR code, code in words, day, venue; printable."""
    signup = signup_for_seeker(pk=pk, user=request.user)
    if signup is None:
        raise Http404(_("没有找到这张入场券"))
    context = {
        "signup": signup,
        "fair": signup.session.fair,
        "qr": ticket_qr_svg(signup.code),
        "cancellable": signup.status == "signed_up" and signup.session.date >= timezone.localdate(),
    }
    return render(request, "fairs/fairsignup_detail.html", context)


@login_required
@require_POST
def ticket_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    signup = signup_for_seeker(pk=pk, user=request.user)
    if signup is None:
        raise Http404(_("没有找到这张入场券"))
    user: User = request.user  # type: ignore[assignment]
    try:
        signup_cancel(signup=signup, actor=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return HttpResponseRedirect(reverse("fairs:ticket", args=[signup.pk]))
    messages.success(request, _("已取消报名，名额留给别人。想去的话可以再报名。"))
    return HttpResponseRedirect(reverse("fairs:jobfair-detail", args=[signup.session.fair_id]))


@login_required
@require_POST
def invitation_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited seeker answers: 参加 (yes) or 不参加 (no); either can be changed later."""
    invitation = invitation_for_seeker(pk=pk, user=request.user)
    if invitation is None:
        raise Http404(_("没有找到这个邀请"))
    answer = request.POST.get("answer", "")
    back = HttpResponseRedirect(reverse("fairs:jobfair-detail", args=[invitation.fair_id]))
    if answer not in (InvitationStatus.YES, InvitationStatus.NO):
        messages.error(request, _("请选择「参加」或「不参加」。"))
        return back
    user: User = request.user  # type: ignore[assignment]
    try:
        invitation_set_status(invitation=invitation, status=answer, actor=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return back
    if answer == InvitationStatus.YES:
        messages.success(request, _("谢谢答复！记得在下面选一天报名，凭入场码入场。"))
    else:
        messages.success(request, _("已收到您的答复。改主意了随时可以再点「参加」。"))
    return back


CHECKIN_WORDS = {
    CheckInOutcome.OK: gettext_lazy("签到成功"),
    CheckInOutcome.ALREADY: gettext_lazy("这张入场码已经签到过了"),
    CheckInOutcome.WRONG_DAY: gettext_lazy("这张入场码不是今天的"),
    CheckInOutcome.OTHER_FAIR: gettext_lazy("这张入场码不是本场招聘会的"),
    CheckInOutcome.CANCELLED: gettext_lazy("这张入场码的报名已取消"),
    CheckInOutcome.UNKNOWN: gettext_lazy("没有这个入场码"),
    CheckInOutcome.NOT_TODAY: gettext_lazy("今天不是这场招聘会的举办日，不能签到"),
}


def _door_fair(request: HttpRequest, pk: int) -> JobFair | HttpResponse:
    fair = _fair_or_404(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not fair_staff_may_check_in(fair=fair, request=request):
        raise PermissionDenied(_("只有承办这场招聘会的工作人员可以签到"))
    return fair


def _door_page(
    request: HttpRequest,
    fair: JobFair,
    *,
    form: CheckInForm,
    walk_in: WalkInForm,
    result: Any,
    created: bool = False,
    refusal: str = "",
) -> HttpResponse:
    session = session_today(fair=fair)
    context = {
        "fair": fair,
        "session": session,
        "form": form,
        "walk_in": walk_in,
        "result": result,
        "result_words": CHECKIN_WORDS[result.outcome] if result else "",
        "registered": created,
        "refusal": refusal,
        "counts": session_checkin_counts(session=session) if session else None,
    }
    return render(request, "fairs/fairsignup_checkin.html", context)


# Rate limits of the door's check-in POSTs (django-ratelimit in the default cache, the client's
# address as common/client_ip.py reads it: the same library and counters as common/ratelimits.py),
# so that a stolen staff session cannot try ticket codes by the thousand. Why these numbers:
# - every POST, per staff account 30 a minute: a door rush is one person a scan, and showing the
#   ticket, scanning it and reading the answer take 5 s at the very least (12 a minute, 700 an hour);
#   30 leaves a fast door more than twice that, and still caps a script at 1,800 tries an hour;
# - every POST, per address 120 a minute: the staff phones of one venue share its Wi-Fi or a
#   carrier's address (four doors at full speed);
# - codes that are no ticket of this fair (unknown, or another fair's), per account 20 and per
#   address 60 in ten minutes: a typo or a wrong ticket happens a few times an hour at a busy
#   door, guessing needs millions (60 random bits per code, models.ticket_code_new) — this is the
#   limit that stops enumeration, and valid tickets never count towards it.
# The numbers are strings as django-ratelimit reads them ("N/m", "N/10m"); the bench raises them.
DOOR_RATES: dict[str, str] = dict(settings.FAIR_DOOR_RATES)  # 30/m, 120/m, 20/10m, 60/10m
MISSES = (CheckInOutcome.UNKNOWN, CheckInOutcome.OTHER_FAIR)
DOOR_TOO_FAST = gettext_lazy("签到提交得太快了：这个账号或这个网络一分钟内提交的入场码太多。请等一分钟再扫。")
DOOR_TOO_FAST_WALK_IN = gettext_lazy(
    "现场登记提交得太快了：这个账号或这个网络一分钟内提交的太多。请等一分钟再提交，填好的内容还在。"
)
DOOR_TOO_MANY_MISSES = gettext_lazy(
    "输错或不是本场的入场码太多了。为防止有人猜入场码，请 10 分钟后再试；"
    "着急的话，可以先用下面的「没有入场码：现场登记并签到」。"
)


def _door_misses_over(request: HttpRequest) -> bool:
    """Whether the account or the address already tried too many codes that are no ticket here."""
    for key in ("user", "ip"):
        usage = get_usage(request, group=f"fair-door-miss-{key}", key=key, rate=DOOR_RATES[f"miss_{key}"])
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def _door_miss_count(request: HttpRequest) -> None:
    for key in ("user", "ip"):
        get_usage(request, group=f"fair-door-miss-{key}", key=key, rate=DOOR_RATES[f"miss_{key}"], increment=True)


def _door_over(request: HttpRequest) -> bool:
    """Count this POST; True when the account or the address sent too many this minute."""
    limited = False
    for key in ("user", "ip"):
        limited |= is_ratelimited(
            request, group=f"fair-door-{key}", key=key, rate=DOOR_RATES[key], method="POST", increment=True
        )
    return limited


@require_http_methods(["GET", "POST"])
def checkin_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Fair staff at the door, on a phone: type or paste a ticket code (a scanner's result), once."""
    fair = _door_fair(request, pk)
    if isinstance(fair, HttpResponse):
        return fair
    result = None
    form = CheckInForm(request.POST or None)
    walk_in = WalkInForm(skill_choices=fair_skill_choices(fair=fair))
    if request.method == "POST":
        refusal = DOOR_TOO_FAST if _door_over(request) else DOOR_TOO_MANY_MISSES if _door_misses_over(request) else None
        if refusal is not None:
            # Nothing looked up; the code stays in the box for when the wait is over.
            response = _door_page(request, fair, form=form, walk_in=walk_in, result=None, refusal=str(refusal))
            response.status_code = 429
            return response
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        result = signup_check_in(fair=fair, code=form.cleaned_data["code"], actor=user)
        if result.outcome in MISSES:
            _door_miss_count(request)
        form = CheckInForm()  # an empty box for the next person in the queue
    return _door_page(request, fair, form=form, walk_in=walk_in, result=result)


@require_POST
def walk_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A seeker without a ticket: found by phone or registered at the door, then checked in."""
    fair = _door_fair(request, pk)
    if isinstance(fair, HttpResponse):
        return fair
    walk_in = WalkInForm(request.POST, skill_choices=fair_skill_choices(fair=fair))
    result, created = None, False
    if _door_over(request):
        # A walk-in looks seekers up by phone: the door's per-minute limit holds here too (a real
        # registration at the door takes a minute or more), and nothing is looked up or written.
        response = _door_page(
            request, fair, form=CheckInForm(), walk_in=walk_in, result=None, refusal=str(DOOR_TOO_FAST_WALK_IN)
        )
        response.status_code = 429
        return response
    if walk_in.is_valid():
        d = walk_in.cleaned_data
        data = WalkInInput(
            name=d["name"],
            phone=d["phone"],
            birth_year=d["birth_year"],
            skill_ids=tuple(int(x) for x in d["skills"]),
            paper_consent=d["consent"],
        )
        user: User = request.user  # type: ignore[assignment]
        try:
            result, created = fair_walk_in(fair=fair, data=data, actor=user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    walk_in.add_error(field if field in walk_in.fields else None, errors)
            else:
                walk_in.add_error(None, exc)
        else:
            walk_in = WalkInForm(skill_choices=fair_skill_choices(fair=fair))
    return _door_page(request, fair, form=CheckInForm(), walk_in=walk_in, result=result, created=created)


# --- booths ---------------------------------------------------------------------------------


def booth_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Fair staff pick the booth they stand at (a link each, kept open on the phone)."""
    fair = _door_fair(request, pk)
    if isinstance(fair, HttpResponse):
        return fair
    return render(
        request, "fairs/boothoutcome_list.html", {"fair": fair, "exhibitors": fair_exhibitor_choices(fair=fair)}
    )


@require_http_methods(["GET", "POST"])
def booth_view(request: HttpRequest, pk: int, exhibitor_pk: int) -> HttpResponse:
    """At one booth: scan or type a seeker's ticket and record what came of the talk (reversible:
    recording the same ticket again changes the result)."""
    fair = _door_fair(request, pk)
    if isinstance(fair, HttpResponse):
        return fair
    exhibitor = next((e for e in fair_exhibitor_choices(fair=fair) if e.pk == exhibitor_pk), None)
    if exhibitor is None:
        raise Http404(_("本场招聘会没有这个参会单位"))
    postings = [(str(p.pk), p.title) for p in exhibitor.postings.all()]
    form = BoothOutcomeForm(request.POST or None, postings=postings)
    saved = None
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            saved, created = booth_outcome_record(
                fair=fair,
                exhibitor=exhibitor,
                code=form.cleaned_data["code"],
                result=form.cleaned_data["result"],
                posting_id=form.cleaned_data["posting"],
                actor=user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                (_("已记录：%(who)s，%(what)s。") if created else _("已改为：%(who)s，%(what)s。"))
                % {"who": saved.signup.seeker.masked_name, "what": saved.get_result_display()},
            )
            return HttpResponseRedirect(reverse("fairs:booth", args=[fair.pk, exhibitor.pk]))
    context = {
        "fair": fair,
        "exhibitor": exhibitor,
        "form": form,
        "recent": booth_outcomes_recent(exhibitor=exhibitor),
    }
    return render(request, "fairs/boothoutcome_form.html", context)


# --- results --------------------------------------------------------------------------------


def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A fair's results (or its whole series' with ?series=1): per day, by key group and by the
    seekers' home district, per exhibitor; ?format=csv|xlsx exports them (audit-logged)."""
    fair = _fair_or_404(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not fair_staff_may_read_results(fair=fair, request=request):
        raise PermissionDenied(_("只有承办这场招聘会的工作人员和人社局可以看成果"))
    whole_series = request.GET.get("series") == "1" and bool(fair.series)
    fairs = fair_series(fair=fair) if whole_series else [fair]
    results = fairs_results(fairs=fairs)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return results_export(fair=fair, results=results, fmt=fmt, series=whole_series, actor=request.user)
    context = {
        "fair": fair,
        "whole_series": whole_series,
        "results": results,
        "tables": results_tables(results),
    }
    return render(request, "fairs/jobfair_results.html", context)
