"""The seekers' portal: home, jobs, registration, privacy notice, /me/; and the accounts (login/logout).

The paths are the ones the portal has always had (old links keep working); the names live in the
namespace "portal", the accounts in "accounts" (settings.LOGIN_URL = "accounts:login")."""

from __future__ import annotations

from django.urls import path

from .views import accounts, alerts, home, jobs, me, register

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("elder-mode/", home.elder_mode_toggle, name="elder-mode"),
    path("jobs/", jobs.posting_list, name="posting-list"),
    path("jobs/<int:pk>/", jobs.posting_detail_view, name="posting-detail"),
    path("register/", register.register_start, name="register"),
    path("register/<slug:step>/", register.register_step, name="register-step"),
    path("privacy/", accounts.privacy_notice, name="privacy"),
    path("me/", me.me, name="me"),
    path("me/edit/", me.edit, name="me-edit"),
    path("me/confirm/", me.confirm_online, name="me-confirm"),
    path("me/pause/", me.pause, name="me-pause"),
    path("me/messages/", me.messages_list, name="me-messages"),
    path("me/data/", me.data_download, name="me-data"),
    path("me/delete/", me.delete, name="me-delete"),
    path("me/apply/<int:posting_id>/", me.apply, name="apply"),
    path("me/applications/<int:match_id>/withdraw/", me.withdraw, name="withdraw"),
    path("me/recommendations/<int:match_id>/", me.recommendation_open, name="recommendation-open"),
    path("me/searches/", alerts.saved_search_save, name="savedsearch-create"),
    path("me/searches/<int:pk>/delete/", alerts.saved_search_remove, name="savedsearch-delete"),
    path("alerts/off/<str:token>/", alerts.saved_search_unsubscribe, name="savedsearch-unsubscribe"),
]

account_urlpatterns = (
    [
        path("login/", accounts.PhoneLoginView.as_view(), name="login"),
        path("login/sms/", accounts.sms_login, name="login-sms"),
        path("login/sms/code/", accounts.sms_login_code, name="login-sms-code"),
        path("logout/", accounts.PortalLogoutView.as_view(), name="logout"),
    ],
    "accounts",
)
