"""Log in with the mobile number, log out, and the privacy notice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiangtan_jobs.core.forms import PhoneLoginForm
from xiangtan_jobs.core.selectors import seeker_current

from .jobs import HOME_SESSION_KEY


class PhoneLoginView(auth_views.LoginView):
    """Django's login with the phone as username; remembers the seeker's home point for distances."""

    form_class = PhoneLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: PhoneLoginForm) -> HttpResponse:
        response = super().form_valid(form)
        registration = seeker_current(user=form.get_user())
        if registration is not None:
            self.request.session[HOME_SESSION_KEY] = [registration.home_lat, registration.home_lng]
        return response


class PortalLogoutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice (个人信息保护告知书) a registration consents to, with its version."""
    return render(request, "core/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})
