"""/api/v1/ addresses of the bureau's KPIs."""

from __future__ import annotations

from django.urls import path

from xiangtan_jobs.dashboard.api import views

urlpatterns = [
    path("bureau/kpis/", views.KpiSummaryView.as_view(), name="bureau-kpis"),
    path("bureau/kpis/sites/", views.KpiSitesView.as_view(), name="bureau-kpi-sites"),
]
