"""The seeker's own pages ("我的", /me/): recommendations with reasons, applications, messages,
editing and pausing the registration, downloading or deleting one's data."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from matching.enums import APPLYABLE_STATUSES, MatchStatus
from matching.models import Match
from matching.presenters import (
    reasons_in_words,
    seeker_application_status,
    seeker_matches_export,
    seeker_recommendations,
)
from matching.services import (
    match_apply,
    match_mark_viewed,
    match_withdraw,
    matches_fill_reasons,
    seeker_erase,
    seeker_widen_hints,
)
from xiangtan_jobs.common.ratelimits import post_rate_limit
from xiangtan_jobs.common.widgets import options_html
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.enums import SeekerStatus, Shift, SkillLevel
from xiangtan_jobs.core.models import Area, InboxMessage, JobPosting, SeekerRegistration
from xiangtan_jobs.core.presenters import wage_text
from xiangtan_jobs.core.selectors import reference_data, seeker_current, seeker_export
from xiangtan_jobs.core.services import (
    SkillInput,
    registration_confirm_online,
    registration_set_paused,
    registration_update,
)
from xiangtan_jobs.portal.alerts import saved_searches_of
from xiangtan_jobs.portal.forms import MAX_SKILLS, ConfirmOnlineForm, PersonForm, SkillsForm, WishesForm
from xiangtan_jobs.portal.selectors import apply_gate, seeker_application_list
from xiangtan_jobs.portal.views.jobs import HOME_SESSION_KEY
from xiangtan_jobs.portal.views.next_step import safe_next
from xiangtan_jobs.portal.views.register import skill_select_context


def _safe_next(request: HttpRequest, target: str | None, default: str) -> str:
    """A same-site path to go to next, or the default (never another site: no open redirect)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(_safe_next(request, request.POST.get("next"), default))


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """My page: my applications first (each with its timeline and news), then recommendations with
    reasons, then my messages."""
    registration = seeker_current(user=request.user)
    if registration is None:
        return render(request, "portal/me_unregistered.html")
    request.session[HOME_SESSION_KEY] = [registration.home_lat, registration.home_lng]
    paused = registration.status != SeekerStatus.ACTIVE
    recommendations = [] if paused else seeker_recommendations(seeker=registration)
    # A full rematch stores matches without their reasons; explain the ones shown here (once).
    matches_fill_reasons(recommendations)
    inbox = list(InboxMessage.objects.filter(user=acting_user(request))[:5])
    context = {
        "registration": registration,
        "paused": paused,
        "recommendations": [
            {
                "match": m,
                "posting": m.posting,
                "wage": wage_text(m.posting.wage_min, m.posting.wage_max, m.posting.wage_unit),
                "reasons": reasons_in_words(m.reasons),
            }
            for m in recommendations
        ],
        "applications": seeker_application_list(seeker=registration, user=request.user),
        # Nothing shown: say whether anything suits them in range, and what would widen the choice.
        "widen": seeker_widen_hints(seeker=registration) if not paused and not recommendations else None,
        "inbox": inbox,
        "saved_searches": saved_searches_of(user=acting_user(request)),
        "unread": sum(1 for m in inbox if m.read_at is None),
    }
    return render(request, "portal/me.html", context)


def _posting_or_none(posting_id: int) -> JobPosting | None:
    if not 0 < posting_id < 2**62:
        return None
    return JobPosting.objects.select_related("employer", "service_point").filter(pk=posting_id).first()


@login_required
@require_http_methods(["GET", "POST"])
@post_rate_limit("apply")
def apply(request: HttpRequest, posting_id: int) -> HttpResponse:
    """Apply to a posting: a GET shows the confirm step (who will see the name and phone), the POST
    applies. Again after withdrawing or after no answer; closed postings are refused."""
    posting = _posting_or_none(posting_id)
    if posting is None:
        raise Http404(_("没有找到这个岗位"))
    job_url = reverse("portal:posting-detail", args=[posting.pk])
    registration = seeker_current(user=request.user)
    if registration is None:
        messages.info(request, _("申请前请先做求职登记，只要几分钟。登记完会回到这个岗位。"))
        here = reverse("portal:apply", args=[posting.pk])
        return HttpResponseRedirect(f"{reverse('portal:register')}?{urlencode({'next': here})}")
    status = seeker_application_status(posting_id=posting.pk, user=request.user)
    if status is not None and status not in APPLYABLE_STATUSES:
        messages.info(request, _("您已经申请过这个岗位了，进展请看「我的申请」。"))
        return HttpResponseRedirect(job_url)
    gate = apply_gate(posting=posting, seeker=registration)
    if gate is not None:
        # An industry market's gig (nursing care) without the certificate or a completed training:
        # say why, what to do and which course, instead of an application nobody may accept.
        context = {"posting": posting, "gate": gate, "job_url": job_url}
        return render(request, "portal/apply_gated.html", context, status=403 if request.method == "POST" else 200)
    if request.method == "GET":
        # The confirm step (also where the login and registration bring a reader who tapped 申请):
        # applying is consent to be contacted, so it is said before, and a GET never applies.
        context = {
            "posting": posting,
            "wage": wage_text(posting.wage_min, posting.wage_max, posting.wage_unit),
            "again": status in (MatchStatus.WITHDRAWN, MatchStatus.NO_REPLY),
            "next": _safe_next(request, request.GET.get("next"), job_url),
            "paused": registration.status != SeekerStatus.ACTIVE,
        }
        return render(request, "portal/apply_confirm.html", context)
    try:
        match_apply(seeker=registration, posting=posting, actor=acting_user(request))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("已申请「%(title)s」。服务点工作人员会尽快和您联系，进展显示在「我的」页面。") % {"title": posting.title},
        )
    return _back(request, job_url)


@login_required
@require_http_methods(["GET", "POST"])
def confirm_online(request: HttpRequest) -> HttpResponse:
    """A seeker registered at a counter confirms the registration online (first login); a password
    may be set for next time. Then on to where they were going."""
    registration = seeker_current(user=request.user)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if registration is None or not registration.needs_online_confirmation:
        return HttpResponseRedirect(next_url or reverse("portal:me"))
    form = ConfirmOnlineForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data.get("password1") or ""
        user = acting_user(request)
        registration_confirm_online(registration=registration, actor=user, password=password)
        if password:
            update_session_auth_hash(request, user)  # stay logged in
            messages.success(request, _("已确认登记，密码也设好了。以后用手机号和密码，或短信验证码都能登录。"))
        else:
            messages.success(request, _("已确认登记。以后用短信验证码登录就行。"))
        return HttpResponseRedirect(next_url or reverse("portal:me"))
    ref = reference_data()
    skills = [ref.skill_name.get(s.skill_id, "") for s in registration.seeker_skills.all()]
    context = {
        "form": form,
        "registration": registration,
        "town": ref.area_label(registration.area_id),
        "skills": "、".join(n for n in skills if n),
        "next": next_url,
    }
    return render(request, "portal/me_confirm.html", context)


@login_required
def recommendation_open(request: HttpRequest, match_id: int) -> HttpResponse:
    """Open one of my recommendations: marked viewed (已查看) the first time, then the job's page."""
    if not 0 < match_id < 2**62:
        raise Http404
    match = get_object_or_404(Match, pk=match_id, seeker__user=request.user)
    match_mark_viewed(match=match, actor=acting_user(request))
    return HttpResponseRedirect(reverse("portal:posting-detail", args=[match.posting_id]))


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, match_id: int) -> HttpResponse:
    """Withdraw an application, after one confirmation (a GET or an unconfirmed POST asks first)."""
    if not 0 < match_id < 2**62:
        raise Http404
    match = get_object_or_404(Match.objects.select_related("posting"), pk=match_id, seeker__user=request.user)
    if match.status != MatchStatus.APPLIED:
        messages.error(request, _("这个申请已在处理中，不能撤回，请联系服务点。"))
        return HttpResponseRedirect(reverse("portal:me"))
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(request, "portal/withdraw_confirm.html", {"match": match, "posting": match.posting})
    try:
        match_withdraw(match=match, actor=acting_user(request))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("已撤回「%(title)s」的申请。岗位还在招的话，可以重新申请。") % {"title": match.posting.title}
        )
    return HttpResponseRedirect(reverse("portal:me"))


@login_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    """Pause or resume job seeking."""
    registration = seeker_current(user=request.user)
    if registration is not None:
        paused = request.POST.get("paused") == "1"
        registration_set_paused(registration=registration, actor=acting_user(request), paused=paused)
        if paused:
            messages.success(request, _("已暂停求职：暂时不再给您推荐工作，也不能申请。随时可以恢复。"))
        else:
            messages.success(request, _("已恢复求职，我们会重新给您推荐工作。"))
    return HttpResponseRedirect(reverse("portal:me"))


def _edit_initial(registration: SeekerRegistration) -> dict[str, dict[str, Any]]:
    shifts = list(registration.shifts or [])
    school = [Shift.WEEKDAY_MORNING.value, Shift.WEEKDAY_AFTERNOON.value]
    if all(s in shifts for s in school):
        shifts = ["school", *[s for s in shifts if s not in school]]
    skills: dict[str, Any] = {}
    for i, s in enumerate(registration.seeker_skills.order_by("id")[:MAX_SKILLS], start=1):
        skills.update(
            {
                f"skill_{i}": str(s.skill_id),
                f"level_{i}": s.level,
                f"years_{i}": s.years,
                f"cert_{i}": s.has_certificate,
            }
        )
    return {
        "person": {
            "name": registration.name,
            "birth_year": registration.birth_year,
            "town": str(registration.area_id),
            "id_number": registration.id_number or "",
        },
        "skills": skills,
        "wishes": {
            "work_types": registration.work_types,
            "shifts": shifts,
            "expected_wage": registration.expected_wage,
            "expected_unit": registration.expected_unit or "day",
            "travel_km": str(registration.travel_km),
            "tags": registration.tags,
        },
    }


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    """Edit the registration on one page (the same questions as the registration screens)."""
    registration = seeker_current(user=request.user)
    if registration is None:
        return HttpResponseRedirect(reverse("portal:register"))
    initial = _edit_initial(registration)
    data = request.POST if request.method == "POST" else None
    person = PersonForm(data, initial=initial["person"], prefix="person", registration=registration)
    skills = SkillsForm(data, initial=initial["skills"], prefix="skills")
    wishes = WishesForm(data, initial=initial["wishes"], prefix="wishes")
    submitted = data is not None and request.POST.get("action") != "search"
    # Validate all three so that every section shows its errors at once.
    valid = submitted and all([person.is_valid(), skills.is_valid(), wishes.is_valid()])
    if valid:
        try:
            registration_update(
                registration=registration,
                actor=acting_user(request),
                name=person.cleaned_data["name"],
                birth_year=person.cleaned_data["birth_year"],
                id_number=person.cleaned_data.get("id_number", ""),
                area=Area.objects.get(pk=int(person.cleaned_data["town"])),
                skills=[SkillInput(**row) for row in skills.skill_rows()],
                travel_km=wishes.cleaned_data["travel_km"],
                work_types=wishes.cleaned_data.get("work_types") or [],
                shifts=wishes.shift_values(),
                expected_wage=wishes.cleaned_data.get("expected_wage"),
                expected_unit=wishes.cleaned_data.get("expected_unit") or "",
                tags=wishes.cleaned_data.get("tags") or [],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            request.session[HOME_SESSION_KEY] = [registration.home_lat, registration.home_lng]
            messages.success(request, _("登记信息已保存，推荐的工作会随之更新。"))
            return HttpResponseRedirect(reverse("portal:me"))
    ref = reference_data()
    town = str(person["town"].value() or "")
    search = str(skills["skill_search"].value() or "") if request.POST.get("action") == "search" else ""
    context = {
        "person": person,
        "skills": skills,
        "wishes": wishes,
        "town_options": options_html(
            "reg-town",
            [(name, [(str(t), tn) for t, tn in ref.towns.get(pk, [])]) for pk, name in ref.districts],
            [town] if town else [],
            version=ref,
        ),
        "skill_rows": skill_select_context(skills, search),
        "searched": search,
        "level_choices": SkillLevel.choices,
    }
    return render(request, "portal/me_edit.html", context)


@login_required
def messages_list(request: HttpRequest) -> HttpResponse:
    """The site inbox; opening it marks the messages read."""
    inbox = list(InboxMessage.objects.filter(user=acting_user(request))[:100])
    InboxMessage.objects.filter(user=acting_user(request), read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "portal/me_messages.html", {"inbox": inbox})


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    """Everything about me as a JSON file."""
    registration = seeker_current(user=request.user)
    if registration is None:
        payload: dict[str, Any] = {"account": {"username": request.user.get_username()}}
    else:
        payload = seeker_export(registration=registration)
        payload["matches"] = seeker_matches_export(seeker=registration)
        payload["fair_signups"] = [
            {"session": str(s.session), "status": s.status, "created_at": s.created_at.isoformat()}
            for s in registration.fair_signups.select_related("session__fair")
        ]
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """Delete my data: open applications are withdrawn, personal fields erased, the account
    deleted (see ``registration_erase``), and the person logged out."""
    registration = seeker_current(user=request.user)
    if request.method != "POST":
        return render(request, "portal/me_delete.html", {"registration": registration})
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选「我确认删除」后再提交。"))
        return render(request, "portal/me_delete.html", {"registration": registration, "need_confirm": True})
    user = acting_user(request)
    if registration is not None:
        seeker_erase(registration=registration, actor=user)
    else:
        user.delete()  # an account that never registered: nothing else is kept
    logout(request)
    messages.success(request, _("您的个人信息已删除，账号已注销。需要时可以重新登记。"))
    return HttpResponseRedirect("/")
