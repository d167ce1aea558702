"""URL configuration of the portal."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from xiangtan_jobs.core import urls as core_urls

from . import views

admin.site.site_header = "湘潭市公共就业服务平台 · 管理后台"
admin.site.site_title = "湘潭就业服务管理"
admin.site.index_title = "服务点工作台"
# The lists (postings, registrations) need the width more than a second menu beside them.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", views.home, name="home"),
    path("elder-mode/", views.elder_mode_toggle, name="elder-mode"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("xiangtan_jobs.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The seekers' portal (issue 3).
    path("", include("xiangtan_jobs.core.urls")),
    path("accounts/", include(core_urls.account_urlpatterns)),
    path("me/", include("matching.urls")),
    path("markets/", include("markets.urls")),
    path("stations/", include("stations.urls")),
    path("fairs/", include("fairs.urls")),
]
