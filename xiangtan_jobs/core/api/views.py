"""Views of the shared nouns: public reference lists; the operators' postings, employers and
walk-in registrations, scoped exactly as in the admin (``core.admin_scope.scoped_queryset``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from xiangtan_jobs.common.text import normalize_text
from xiangtan_jobs.core import services
from xiangtan_jobs.core.admin_scope import StaffRole, operator_site_ids, scoped_queryset, staff_role
from xiangtan_jobs.core.api import examples as ex
from xiangtan_jobs.core.api import serializers as s
from xiangtan_jobs.core.api.authentication import IsStaffActor
from xiangtan_jobs.core.api.examples import response_example
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.enums import ServicePointStatus, SkillLevel
from xiangtan_jobs.core.filters import (
    AreaFilter,
    EmployerFilter,
    ServicePointFilter,
    SitePostingFilter,
    SiteRegistrationFilter,
    SkillFilter,
)
from xiangtan_jobs.core.models import Area, Employer, JobPosting, SeekerRegistration, ServicePoint, Skill, SkillCategory
from xiangtan_jobs.core.selectors import reference_data

ID = r"[0-9]{1,18}"

# --- public reference lists ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.SKILL)],
        summary="工种列表",
        description="全部工种（职业和常见零工工种），带别名与近义工种组。",
    ),
    retrieve=extend_schema(examples=[response_example(ex.SKILL)], summary="一个工种"),
)
class SkillViewSet(viewsets.ReadOnlyModelViewSet):
    """The skill vocabulary shared by postings and seekers."""

    queryset = Skill.objects.order_by("id")
    serializer_class = s.SkillSerializer
    filterset_class = SkillFilter
    permission_classes = [AllowAny]
    lookup_value_regex = ID

    @extend_schema(
        summary="工种联想输入",
        description="按名称或别名联想工种：先完全相同，再以输入开头，再包含输入；最多 20 个。"
        "不查数据库（读缓存的参考数据）。",
        parameters=[s.TypeaheadQuerySerializer],
        responses=s.SkillSuggestionSerializer(many=True),
        examples=[
            OpenApiExample(
                "护工", value={"id": 12, "name": "养老护理员", "category": 3, "matched": "护工"}, response_only=True
            )
        ],
    )
    @action(detail=False, pagination_class=None, filterset_class=None)
    def typeahead(self, request: Request) -> Response:
        query = s.TypeaheadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = normalize_text(query.validated_data["q"]).strip()
        limit = query.validated_data["limit"]
        ref = reference_data()
        ranked: dict[int, tuple[int, int, str]] = {}
        for term, ids in ref.skill_terms.items():
            if not q or q not in term:
                continue
            rank = 0 if term == q else 1 if term.startswith(q) else 2
            for pk in ids:
                best = ranked.get(pk)
                if best is None or (rank, len(term)) < best[:2]:
                    ranked[pk] = (rank, len(term), term)
        order = sorted(ranked.items(), key=lambda item: (item[1][0], item[1][1], ref.skill_name.get(item[0], "")))
        rows = [
            {"id": pk, "name": ref.skill_name[pk], "category": ref.skill_category[pk], "matched": term}
            for pk, (_rank, _len, term) in order[:limit]
            if pk in ref.skill_name
        ]
        return Response(s.SkillSuggestionSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.SKILL_CATEGORY)], summary="工种类别列表", description="工种的大类，按编号排列。"
    ),
    retrieve=extend_schema(
        examples=[response_example(ex.SKILL_CATEGORY)],
        summary="一个工种类别",
        description="编码与名称（其下工种：skills/?category=编号）。",
    ),
)
class SkillCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SkillCategory.objects.order_by("id")
    serializer_class = s.SkillCategorySerializer
    permission_classes = [AllowAny]
    lookup_value_regex = ID


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.AREA)],
        summary="行政区域列表",
        description="湘潭的区县（含县级市、园区）和街道乡镇，带中心坐标。",
    ),
    retrieve=extend_schema(
        examples=[response_example(ex.AREA)], summary="一个行政区域", description="区划代码、名称、上级区县和中心坐标。"
    ),
)
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.order_by("id")
    serializer_class = s.AreaSerializer
    filterset_class = AreaFilter
    permission_classes = [AllowAny]
    lookup_value_regex = ID


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.SERVICE_POINT)],
        summary="服务点列表",
        description="零工市场、青年驿站、人力资源市场（运营中的）。",
    ),
    retrieve=extend_schema(
        examples=[response_example(ex.SERVICE_POINT)],
        summary="一个服务点",
        description="地址、坐标、服务时间、服务电话、运营主体和服务内容。",
    ),
)
class ServicePointViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ServicePoint.objects.filter(status=ServicePointStatus.ACTIVE).order_by("id")
    serializer_class = s.ServicePointSerializer
    filterset_class = ServicePointFilter
    permission_classes = [AllowAny]
    lookup_value_regex = ID


# --- operators ---------------------------------------------------------------------------------------


def site_ids_for(request: Request) -> frozenset[int] | None:
    """The sites this request may write for: an operator's (a token's one), or None = any (superuser)."""
    if staff_role(request.user) is StaffRole.SUPERUSER and getattr(request, "api_site_limit", None) is None:
        return None
    if staff_role(request.user) is StaffRole.SUPERUSER:
        return frozenset({request.api_site_limit})  # type: ignore[attr-defined]  # set per request by the token
    return operator_site_ids(request)


if TYPE_CHECKING:
    _ViewBase = GenericAPIView
else:
    _ViewBase = object


class ScopedViewMixin(_ViewBase):
    """Rows the actor may see, by the admin's scoping; the writable sites in the serializer context."""

    site_field: str = "service_point"

    def get_queryset(self) -> QuerySet[Any]:
        return scoped_queryset(self.request, super().get_queryset(), site_field=self.site_field)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["site_ids"] = site_ids_for(self.request)
        context["employers"] = scoped_queryset(self.request, Employer.objects.all(), site_field="service_point")
        return context


POSTING_EXAMPLE = {
    "employer": 1,
    "service_point": 1,
    "title": "家庭保洁（日结）",
    "area": 5,
    "work_type": "day",
    "wage_min": 180,
    "wage_max": 220,
    "wage_text": "180–220 元/天",
    "wage_unit": "day",
    "headcount": 2,
    "shifts": ["weekday_morning"],
    "skills": [{"skill": 1, "required": True, "min_level": 1}],
}


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.SITE_POSTING)],
        summary="本服务点的岗位",
        description="运营人员只看到自己服务点的岗位；人社局只读全部。",
    ),
    retrieve=extend_schema(examples=[response_example(ex.SITE_POSTING)], summary="本服务点的一个岗位"),
    create=extend_schema(
        summary="录入岗位（草稿）",
        description="新岗位是草稿，发布用 publish。",
        examples=[OpenApiExample("日结保洁", value=POSTING_EXAMPLE, request_only=True)],
    ),
    update=extend_schema(
        examples=[response_example(ex.SITE_POSTING)], summary="修改岗位", description="已发布的岗位修改后重新匹配。"
    ),
    partial_update=extend_schema(examples=[response_example(ex.SITE_POSTING)], summary="修改岗位的部分字段"),
)
class SitePostingViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Postings of the operator's own sites: create, edit, publish and close through the services."""

    queryset = JobPosting.objects.prefetch_related("posting_skills").order_by("id")
    serializer_class = s.SitePostingSerializer
    filterset_class = SitePostingFilter
    permission_classes = [IsStaffActor]
    lookup_value_regex = ID

    def _skills(self, data: dict[str, Any]) -> list[services.PostingSkillInput] | None:
        items = data.pop("skills", None)
        if items is None:
            return None
        return [
            # A PATCH leaves the nested defaults out (DRF applies none under partial=True).
            services.PostingSkillInput(
                skill_id=i["skill"].pk,
                required=i.get("required", True),
                min_level=int(i.get("min_level", SkillLevel.BEGINNER)),
            )
            for i in items
        ]

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        skills = self._skills(data)
        posting = JobPosting(**data)
        serializer.instance = services.posting_save(posting=posting, actor=acting_user(self.request), skills=skills)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        skills = self._skills(data)
        posting = serializer.instance
        assert posting is not None
        for field, value in data.items():
            setattr(posting, field, value)
        services.posting_save(posting=posting, actor=acting_user(self.request), skills=skills)

    def _transition(self, fn: Any) -> Response:
        posting = self.get_object()
        fn(posting=posting, actor=self.request.user)
        fresh = self.get_queryset().get(pk=posting.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        examples=[response_example(ex.SITE_POSTING)],
        summary="发布岗位",
        description="草稿或审核未通过的岗位发布；单位未核验时送本服务点审核员审核。",
        request=s.PostingTransitionSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._transition(services.posting_publish)

    @extend_schema(
        examples=[response_example(ex.SITE_POSTING)],
        summary="结束招聘",
        description="不再向求职者展示，推荐随之撤下。",
        request=s.PostingTransitionSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._transition(services.posting_close)


@extend_schema_view(
    list=extend_schema(examples=[response_example(ex.EMPLOYER)], summary="本服务点登记的用人单位"),
    retrieve=extend_schema(examples=[response_example(ex.EMPLOYER)], summary="一个用人单位"),
    create=extend_schema(
        summary="登记用人单位",
        examples=[
            OpenApiExample(
                "单位",
                value={"name": "湘潭某家政服务有限公司", "credit_code": "", "service_point": 1},
                request_only=True,
            )
        ],
    ),
    update=extend_schema(examples=[response_example(ex.EMPLOYER)], summary="修改用人单位"),
    partial_update=extend_schema(examples=[response_example(ex.EMPLOYER)], summary="修改用人单位的部分字段"),
)
class SiteEmployerViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Employer.objects.order_by("id")
    serializer_class = s.EmployerSerializer
    filterset_class = EmployerFilter
    permission_classes = [IsStaffActor]
    lookup_value_regex = ID

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        if data.get("service_point") is None and (sites := site_ids_for(self.request)) and len(sites) == 1:
            data["service_point_id"] = next(iter(sites))
        serializer.instance = services.employer_save(employer=Employer(**data), actor=acting_user(self.request))

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        employer = serializer.instance
        assert employer is not None
        for field, value in serializer.validated_data.items():
            setattr(employer, field, value)
        services.employer_save(employer=employer, actor=acting_user(self.request))


@extend_schema_view(
    list=extend_schema(
        examples=[response_example(ex.SITE_REGISTRATION)],
        summary="本服务点的求职登记",
        description="姓名、手机号、身份证号均已打码；完整信息只在管理后台查看（有访问记录）。",
    ),
    retrieve=extend_schema(examples=[response_example(ex.SITE_REGISTRATION)], summary="一份求职登记（打码）"),
)
class SiteRegistrationViewSet(
    ScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = SeekerRegistration.objects.select_related(None).prefetch_related("seeker_skills").order_by("id")
    serializer_class = s.SiteRegistrationSerializer
    filterset_class = SiteRegistrationFilter
    permission_classes = [IsStaffActor]
    lookup_value_regex = ID

    @extend_schema(
        summary="窗口代登记",
        description="运营人员在服务点窗口为求职者登记（纸质签字同意）；登记后立即排队匹配。",
        request=s.WalkInRegistrationSerializer,
        responses={201: s.SiteRegistrationSerializer},
        examples=[
            OpenApiExample(
                "代登记",
                value={
                    "service_point": 1,
                    "name": "王秀英",
                    "phone": "13800138000",
                    "birth_year": 1975,
                    "area": 5,
                    "skills": [{"skill": 1, "level": 3, "years": 5}],
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        form = s.WalkInRegistrationSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        skills = [
            services.SkillInput(
                skill_id=i["skill"].pk, level=int(i["level"]), years=i["years"], has_certificate=i["has_certificate"]
            )
            for i in data.pop("skills")
        ]
        site = data.pop("service_point")
        area = data["area"]
        registration = SeekerRegistration(
            **{**data, "id_number": data.get("id_number") or None},
            home_lat=area.lat,
            home_lng=area.lng,
            expected_unit=data.get("expected_unit", "") if data.get("expected_wage") else "",
        )
        registration = services.registration_create_walk_in(
            registration=registration,
            service_point=site,
            actor=acting_user(request),
            skills=skills,
        )
        fresh = get_object_or_404(self.get_queryset(), pk=registration.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
