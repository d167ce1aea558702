"""Public URLs of the core: jobs, registration, privacy notice; and the accounts (login/logout)."""

from __future__ import annotations

from django.urls import path

from .views import accounts, jobs, register

app_name = "core"
urlpatterns = [
    path("jobs/", jobs.posting_list, name="posting-list"),
    path("jobs/<int:pk>/", jobs.posting_detail_view, name="posting-detail"),
    path("register/", register.register_start, name="register"),
    path("register/<slug:step>/", register.register_step, name="register-step"),
    path("privacy/", accounts.privacy_notice, name="privacy"),
    path("healthz/", jobs.healthz, name="healthz"),
]

# Included under /accounts/ with the namespace "accounts" (settings.LOGIN_URL = "accounts:login").
account_urlpatterns = (
    [
        path("login/", accounts.PhoneLoginView.as_view(), name="login"),
        path("login/sms/", accounts.sms_login, name="login-sms"),
        path("login/sms/code/", accounts.sms_login_code, name="login-sms-code"),
        path("logout/", accounts.PortalLogoutView.as_view(), name="logout"),
    ],
    "accounts",
)
