"""Job fairs: published (and cancelled, so a mirror learns of it) fairs, their days and exhibitors."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from fairs.api.serializers import FairDetailSerializer, FairSerializer
from fairs.enums import FairStatus
from fairs.filters import FairFilter
from fairs.models import Exhibitor, JobFair
from xiangtan_jobs.core.api import examples as ex
from xiangtan_jobs.core.api.examples import response_example
from xiangtan_jobs.core.models import JobPosting


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.FAIR)],
        summary="招聘会列表",
        description="已发布和已取消的招聘会，带每天的场次；按开始日期从近到远。",
    ),
    retrieve=extend_schema(
        examples=[response_example(ex.FAIR_DETAIL)],
        summary="一场招聘会",
        description="带场次和参会单位（展位号、带来的岗位）。",
    ),
)
class FairViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    filterset_class = FairFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[JobFair]:
        qs = JobFair.objects.filter(status__in=[FairStatus.PUBLISHED, FairStatus.CANCELLED]).prefetch_related(
            "sessions"
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "exhibitors",
                    queryset=Exhibitor.objects.select_related("employer").prefetch_related(
                        Prefetch("postings", queryset=JobPosting.objects.public().only("id"))
                    ),
                )
            )
        return qs.order_by("id")

    def get_serializer_class(self) -> type[FairSerializer]:
        return FairDetailSerializer if self.action == "retrieve" else FairSerializer
