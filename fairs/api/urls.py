"""/api/v1/ addresses of the fairs."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from fairs.api import views

router = SimpleRouter()
router.register("fairs", views.FairViewSet, basename="fair")

urlpatterns = router.urls
