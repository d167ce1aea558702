"""The operator's pipeline over the API: their sites' matches and status changes (the admin's scoping)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from matching.api.serializers import MatchStatusInputSerializer, SiteMatchSerializer
from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_set_status
from xiangtan_jobs.common.api import IdFilter
from xiangtan_jobs.core.admin_scope import scoped_queryset
from xiangtan_jobs.core.api import examples as ex
from xiangtan_jobs.core.api.authentication import IsStaffActor
from xiangtan_jobs.core.api.examples import response_example
from xiangtan_jobs.core.auth import acting_user


class SiteMatchFilter(django_filters.FilterSet):
    posting = IdFilter(field_name="posting_id", label=_("岗位编号"))
    status = django_filters.MultipleChoiceFilter(choices=MatchStatus.choices, label=_("状态"), distinct=False)

    class Meta:
        model = Match
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.MATCH)],
        summary="本服务点岗位的人岗匹配",
        description="求职者姓名、手机号已打码。",
    ),
    retrieve=extend_schema(
        examples=[response_example(ex.MATCH)],
        summary="一条人岗匹配",
        description="匹配分、推荐理由和当前状态（求职者已打码）。",
    ),
)
class SiteMatchViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SiteMatchSerializer
    filterset_class = SiteMatchFilter
    permission_classes = [IsStaffActor]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Match]:
        qs = Match.objects.select_related("posting", "seeker").order_by("id")
        return scoped_queryset(self.request, qs, site_field="posting__service_point")

    @extend_schema(
        summary="改变匹配状态",
        description="已联系 → 面试中 → 达成意向 → 已录用，或未成功；也可退回上一步。记录操作人和时间。",
        request=MatchStatusInputSerializer,
        responses=SiteMatchSerializer,
        examples=[
            OpenApiExample("约面试", value={"status": "interview", "reason": "电话约了周五面试"}, request_only=True)
        ],
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str) -> Response:
        match = self.get_object()
        form = MatchStatusInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        match_set_status(
            match=match,
            status=form.validated_data["status"],
            actor=acting_user(request),
            reason=form.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)
