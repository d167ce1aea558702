from __future__ import annotations

from django.urls import path

from . import views, views_assessment

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard_view, name="home"),
    path("sites/<int:pk>/", views.site_view, name="site"),
    path("list/", views.drill_view, name="list"),
    path("export/<slug:slug>.<str:fmt>", views.export_view, name="export"),
    path("refresh/", views.refresh_view, name="refresh"),
    path("screen/", views.screen_view, name="screen"),
    path("assessment/", views_assessment.assessment_view, name="assessment"),
    path("assessment/close/", views_assessment.close_view, name="assessment-close"),
    path("assessment/adjust/", views_assessment.adjust_view, name="assessment-adjust"),
    path("assessment/sites/<int:pk>/", views_assessment.report_view, name="report"),
]
