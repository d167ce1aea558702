"""Log in with the mobile number (and a password or an SMS code), log out, and the privacy notice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from xiangtan_jobs.common.crypto import pii_digest, seal, unseal
from xiangtan_jobs.common.masking import mask_phone
from xiangtan_jobs.core.models import SeekerRegistration, User
from xiangtan_jobs.core.selectors import seeker_current
from xiangtan_jobs.core.services import LOGIN_CODE_MAX_TRIES, LoginCodeSent, login_code_check, login_code_send
from xiangtan_jobs.portal.forms import PhoneLoginForm, SmsLoginCodeForm, SmsLoginPhoneForm

from .jobs import HOME_SESSION_KEY
from .next_step import next_context, safe_next, with_next

# The phone a code was asked for, between the two steps of the SMS login: sealed (encrypted), so a
# session row read raw holds no phone, and void after SMS_PHONE_MAX_AGE seconds.
SMS_PHONE_SESSION_KEY = "sms_login_phone"
SMS_PHONE_MAX_AGE = 30 * 60


def _remember_home(request: HttpRequest, user: User) -> SeekerRegistration | None:
    """Keep the seeker's home point in the session: the job list measures distances from it."""
    registration = seeker_current(user=user)
    if registration is not None:
        request.session[HOME_SESSION_KEY] = [registration.home_lat, registration.home_lng]
    return registration


class PhoneLoginView(auth_views.LoginView):
    """Django's login with the phone as username; remembers the seeker's home point for distances."""

    form_class = PhoneLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Django's LoginView has checked ``next`` already (same site only); say why the reader is here.
        context.update(next_context(self.request, safe_next(self.request, context.get("next"))))
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        _remember_home(self.request, form.get_user())
        return response


class PortalLogoutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice (个人信息保护告知书) a registration consents to, with its version."""
    return render(request, "portal/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


# --- Login with an SMS code (验证码登录) ------------------------------------------------------
# For seekers who forgot their password (many are older). The pages answer alike whether or not
# the phone has an account, so that they cannot be used to find out who is registered.


def _next_url(request: HttpRequest) -> str:
    """Where to go after logging in, as the password login checks it (same site only)."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _rate_limited(request: HttpRequest, *, action: str, phone: str | None) -> bool:
    """Count this try per address and (for a well-formed number) per phone; True when over a limit."""
    rates = settings.SMS_LOGIN_RATES
    limited = is_ratelimited(
        request, group=f"sms-login-{action}-ip", key="ip", rate=rates[f"{action}_ip"], method="POST", increment=True
    )
    if phone:
        digest = pii_digest(phone)
        limited |= is_ratelimited(
            request,
            group=f"sms-login-{action}-phone",
            key=lambda _group, _request: digest,
            rate=rates[f"{action}_phone"],
            method="POST",
            increment=True,
        )
    return limited


def _too_often() -> str:
    return _("操作太频繁了，请 1 小时后再试。着急的话，请带身份证到附近服务点，或拨打 0731-58533441。")


def _sent_message(request: HttpRequest, sent: LoginCodeSent) -> None:
    if sent.wait:
        messages.info(request, _("验证码刚发过，请查看短信。%(seconds)s 秒后才能重新获取。") % {"seconds": sent.wait})
    else:
        messages.info(request, _("如果这个手机号已经登记，验证码短信马上就到，5 分钟内有效。"))


@require_http_methods(["GET", "POST"])
def sms_login(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone number; a code is texted if a seeker account has it (the same answer if not)."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = SmsLoginPhoneForm(request.POST if request.method == "POST" else None)
    alert = ""
    if request.method == "POST":
        valid = form.is_valid()
        if _rate_limited(request, action="send", phone=form.cleaned_data.get("phone") if valid else None):
            alert = _too_often()
        elif valid:
            phone = form.cleaned_data["phone"]
            _sent_message(request, login_code_send(phone=phone))
            request.session[SMS_PHONE_SESSION_KEY] = seal(phone)
            return HttpResponseRedirect(with_next(reverse("accounts:login-sms-code"), next_url))
    context = {"form": form, "alert": alert, **next_context(request, next_url)}
    return render(request, "registration/login_sms.html", context, status=429 if alert else 200)


def _problem_text(problem: str, tries_left: int) -> str:
    again = _("请点下面的「重新获取验证码」。")
    texts = {
        "missing": _("还没有给这个手机号发验证码。") + again,
        "used": _("这个验证码已经用过了，每个验证码只能用一次。") + again,
        "too_many": _("输错了 %(n)s 次，这个验证码已作废。") % {"n": LOGIN_CODE_MAX_TRIES} + again,
        "expired": _("验证码已过期（5 分钟内有效）。") + again,
    }
    wrong = ngettext(
        "验证码不对，请核对短信里的 6 位数字。还可以再试 %(n)s 次。",
        "验证码不对，请核对短信里的 6 位数字。还可以再试 %(n)s 次。",
        tries_left,
    )
    return texts.get(problem, wrong % {"n": tries_left})


@require_http_methods(["GET", "POST"])
def sms_login_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the SMS logs the seeker in, like the password login; or a new code."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    phone = unseal(request.session.get(SMS_PHONE_SESSION_KEY), max_age=SMS_PHONE_MAX_AGE)
    if not isinstance(phone, str) or not phone:
        return HttpResponseRedirect(with_next(reverse("accounts:login-sms"), next_url))
    here = with_next(reverse("accounts:login-sms-code"), next_url)
    resend = request.POST.get("action") == "resend"
    form = SmsLoginCodeForm(request.POST if request.method == "POST" and not resend else None)
    alert = ""
    if request.method == "POST" and resend:
        if not _rate_limited(request, action="send", phone=phone):
            _sent_message(request, login_code_send(phone=phone))
            return HttpResponseRedirect(here)
        alert = _too_often()
    elif request.method == "POST":
        valid = form.is_valid()
        if _rate_limited(request, action="check", phone=phone):
            alert = _too_often()
        elif valid:
            check = login_code_check(phone=phone, code=form.cleaned_data["code"])
            if check.user is not None:
                login(request, check.user, backend="xiangtan_jobs.core.auth_backends.PhoneOrUsernameBackend")
                request.session.pop(SMS_PHONE_SESSION_KEY, None)
                registration = _remember_home(request, check.user)
                if registration is not None and registration.needs_online_confirmation:
                    # Registered at a counter: the first login asks them to confirm it (then next).
                    return HttpResponseRedirect(with_next(reverse("portal:me-confirm"), next_url))
                return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
            form.refuse(_problem_text(check.problem, check.tries_left))
    context = {"form": form, "masked_phone": mask_phone(phone), "alert": alert, **next_context(request, next_url)}
    return render(request, "registration/login_sms_code.html", context, status=429 if alert else 200)
