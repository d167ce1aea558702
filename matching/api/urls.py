"""/api/v1/ addresses of the operators' matches."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from matching.api import views

router = SimpleRouter()
router.register("operator/matches", views.SiteMatchViewSet, basename="operator-match")

urlpatterns = router.urls
