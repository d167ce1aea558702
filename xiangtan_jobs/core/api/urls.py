"""/api/v1/ addresses of the shared nouns."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from xiangtan_jobs.core.api import views

router = SimpleRouter()
router.register("skills", views.SkillViewSet, basename="skill")
router.register("skill-categories", views.SkillCategoryViewSet, basename="skill-category")
router.register("areas", views.AreaViewSet, basename="area")
router.register("service-points", views.ServicePointViewSet, basename="service-point")
router.register("operator/postings", views.SitePostingViewSet, basename="operator-posting")
router.register("operator/employers", views.SiteEmployerViewSet, basename="operator-employer")
router.register("operator/registrations", views.SiteRegistrationViewSet, basename="operator-registration")

urlpatterns = router.urls
