"""URL configuration of the portal: each app's pages under its own prefix."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from markets import urls as markets_urls
from xiangtan_jobs.common.api_docs import ApiDocsView
from xiangtan_jobs.common.health import HealthView, ReadyView
from xiangtan_jobs.common.metrics import metrics_view
from xiangtan_jobs.common.views import healthz
from xiangtan_jobs.portal import urls as portal_urls

admin.site.site_header = "湘潭市公共就业服务平台 · 管理后台"
admin.site.site_title = "湘潭就业服务管理"
admin.site.index_title = "服务点工作台"
# The lists (postings, registrations) need the width more than a second menu beside them.
admin.site.enable_nav_sidebar = False

# The database away answers a clean 503 page, not a 500 (common/views.py).
handler500 = "xiangtan_jobs.common.views.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("xiangtan_jobs.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz/", healthz, name="healthz"),
    path("health/", HealthView.as_view(), name="health"),
    path("health/ready/", ReadyView.as_view(), name="health-ready"),
    # Prometheus scrapes it; allowed addresses or a token only (settings.METRICS_*).
    path("metrics", metrics_view, name="metrics"),
    # The seekers' portal: home, jobs, registration, /me/ (xiangtan_jobs/portal/).
    path("", include("xiangtan_jobs.portal.urls")),
    path("jobs/", include(markets_urls.posting_urlpatterns)),  # /jobs/<id>/poster/
    path("accounts/", include(portal_urls.account_urlpatterns)),
    path("markets/", include("markets.urls")),
    path("stations/", include("stations.urls")),
    path("fairs/", include("fairs.urls")),
    path("dashboard/", include("xiangtan_jobs.dashboard.urls")),
]
