"""/api/v1/ addresses of the public job list and the seeker's own data."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from xiangtan_jobs.portal.api import views

router = SimpleRouter()
router.register("jobs", views.JobViewSet, basename="job")
router.register("me/applications", views.MyApplicationsViewSet, basename="my-application")

urlpatterns = [
    path("me/registration/", views.MyRegistrationView.as_view(), name="my-registration"),
    path("me/recommendations/", views.MyRecommendationsView.as_view(), name="my-recommendations"),
    *router.urls,
]
