"""The API's filters over the shared nouns (django-filter); ids go through ``common.parsing``."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.common.api import IdFilter
from xiangtan_jobs.core.enums import AreaKind, PostingStatus, SeekerStatus, ServicePointKind
from xiangtan_jobs.core.models import Area, Employer, JobPosting, SeekerRegistration, ServicePoint, Skill


class SkillFilter(django_filters.FilterSet):
    category = IdFilter(field_name="category_id", label=_("技能类别编号"))
    q = django_filters.CharFilter(label=_("名称或别名包含"), method="filter_q", max_length=20)
    gig = django_filters.BooleanFilter(field_name="is_gig", label=_("常见零工工种"))

    class Meta:
        model = Skill
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Skill], name: str, value: str) -> QuerySet[Skill]:
        value = value.strip()
        # aliases is a JSON list; its text holds each alias, so a substring finds them too.
        return qs.filter(Q(name__icontains=value) | Q(aliases__icontains=value)) if value else qs


class AreaFilter(django_filters.FilterSet):
    parent = IdFilter(field_name="parent_id", label=_("上级区域编号（查某区县的街道乡镇）"))
    kind = django_filters.ChoiceFilter(choices=AreaKind.choices, label=_("类型"))
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("只要区县级"))

    class Meta:
        model = Area
        fields: list[str] = []


class ServicePointFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ServicePointKind.choices, label=_("类型"))
    district = IdFilter(method="filter_district", label=_("所在区县编号"))

    class Meta:
        model = ServicePoint
        fields: list[str] = []

    def filter_district(self, qs: QuerySet[ServicePoint], name: str, value: int) -> QuerySet[ServicePoint]:
        return qs.filter(Q(area_id=value) | Q(area__parent_id=value))


class SitePostingFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PostingStatus.choices, label=_("状态"), distinct=False)
    site = IdFilter(field_name="service_point_id", label=_("服务点编号"))
    employer = IdFilter(field_name="employer_id", label=_("用人单位编号"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("岗位名称包含"), max_length=40)

    class Meta:
        model = JobPosting
        fields: list[str] = []


class EmployerFilter(django_filters.FilterSet):
    verified = django_filters.BooleanFilter(label=_("已核验"))
    site = IdFilter(field_name="service_point_id", label=_("登记服务点编号"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("单位名称包含"), max_length=40)

    class Meta:
        model = Employer
        fields: list[str] = []


class SiteRegistrationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=SeekerStatus.choices, label=_("状态"), distinct=False)
    site = IdFilter(field_name="service_point_id", label=_("登记服务点编号"))

    class Meta:
        model = SeekerRegistration
        fields: list[str] = []
