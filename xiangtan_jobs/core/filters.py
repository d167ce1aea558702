"""The public job list's filters (django-filter): every filter is a URL parameter, so a result
page can be shared and survives paging and the back button.

Choices come from the cached reference lists (``selectors.reference_data``), never from a
queryset: a ``ModelChoiceFilter`` would spend a query per chosen filter validating the id.
A value that does not validate (``district=abc``, ``wage=-5``) is left out of the filtering,
not turned into an error page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.core.enums import WorkType
from xiangtan_jobs.core.models import JobPosting, PostingSkill
from xiangtan_jobs.core.models.postings import daily_equivalent
from xiangtan_jobs.core.selectors import keyword_filter, reference_data, within_km

SUITABLE_CHOICES = [
    ("older", _("欢迎大龄劳动者")),
    ("disability", _("适合残疾人")),
    ("mother", _("宝妈灵活时间")),
]
SUITABLE_FIELDS = {"older": "older_ok", "disability": "disability_ok", "mother": "mother_flexible"}
DAYS_CHOICES = [("1", _("今天")), ("3", _("3 天内")), ("7", _("1 周内")), ("30", _("1 个月内"))]
WAGE_UNIT_CHOICES = [("hour", _("元/小时")), ("day", _("元/天")), ("month", _("元/月"))]
KM_CHOICES = [("3", _("3 公里")), ("5", _("5 公里")), ("10", _("10 公里")), ("20", _("20 公里")), ("50", _("50 公里"))]
SORT_CHOICES = [("new", _("最新发布")), ("wage", _("工资高")), ("near", _("离我近"))]
_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{1,8})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,8})?)\s*$")


def _district_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in reference_data().districts]


def _town_choices() -> list[tuple[str, str]]:
    ref = reference_data()
    return [(str(pk), name) for towns in ref.towns.values() for pk, name in towns]


def _category_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in reference_data().categories]


def _skill_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in reference_data().skill_name.items()]


def _site_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name, _kind in reference_data().sites]


def _near_choice_or_point(value: str) -> tuple[float, float] | None:
    """A place for "within N km": a district or town id, or "lat,lng" inside Xiangtan."""
    ref = reference_data()
    if value.isdigit() and len(value) < 12 and int(value) in ref.area_point:
        return ref.area_point[int(value)]
    match = _POINT.match(value)
    if match:
        lat, lng = float(match.group(1)), float(match.group(2))
        if 27.3 <= lat <= 28.1 and 111.9 <= lng <= 113.15:
            return lat, lng
    return None


class PostingFilter(django_filters.FilterSet):
    """Filters of /jobs/; ``origin`` is the place distances are measured from (or None)."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=40)
    district = django_filters.ChoiceFilter(label=_("区县"), choices=_district_choices, method="filter_district")
    town = django_filters.ChoiceFilter(label=_("街道/乡镇"), choices=_town_choices, method="filter_town")
    category = django_filters.ChoiceFilter(label=_("工种类别"), choices=_category_choices, method="filter_category")
    skill = django_filters.ChoiceFilter(label=_("工种"), choices=_skill_choices, method="filter_skill")
    work_type = django_filters.MultipleChoiceFilter(label=_("用工形式"), choices=WorkType.choices)
    wage = django_filters.NumberFilter(label=_("工资至少"), method="filter_wage", min_value=0, max_value=1_000_000)
    wage_unit = django_filters.ChoiceFilter(label=_("工资单位"), choices=WAGE_UNIT_CHOICES, method="filter_noop")
    days = django_filters.ChoiceFilter(label=_("发布时间"), choices=DAYS_CHOICES, method="filter_days")
    site = django_filters.ChoiceFilter(label=_("服务点"), choices=_site_choices, method="filter_site")
    suitable = django_filters.MultipleChoiceFilter(
        label=_("适合人群"), choices=SUITABLE_CHOICES, method="filter_suitable"
    )
    near = django_filters.CharFilter(label=_("离这里"), method="filter_noop", max_length=40)
    km = django_filters.ChoiceFilter(label=_("范围"), choices=KM_CHOICES, method="filter_noop")
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, method="filter_noop")

    class Meta:
        model = JobPosting
        fields: list[str] = []

    def __init__(self, *args: Any, home: tuple[float, float] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home = home
        self.origin: tuple[float, float] | None = None

    # --- filters --------------------------------------------------------------------------
    def filter_noop(self, qs: QuerySet[JobPosting], name: str, value: Any) -> QuerySet[JobPosting]:
        return qs

    def filter_q(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return keyword_filter(qs, value) if value.strip() else qs

    def filter_district(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return qs.filter(district_id=int(value))

    def filter_town(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return qs.filter(area_id=int(value))

    def filter_category(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        ref = reference_data()
        skill_ids = [pk for pk, _name in ref.skills_by_category.get(int(value), [])]
        return qs.filter(id__in=PostingSkill.objects.filter(skill_id__in=skill_ids).values("posting_id"))

    def filter_skill(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        # The skill's group: asking for 养老护理员 also shows postings that ask for 护工.
        group = sorted(reference_data().skill_group.get(int(value), frozenset({int(value)})))
        return qs.filter(id__in=PostingSkill.objects.filter(skill_id__in=group).values("posting_id"))

    def filter_wage(self, qs: QuerySet[JobPosting], name: str, value: Any) -> QuerySet[JobPosting]:
        unit = self.form.cleaned_data.get("wage_unit") or "day"
        daily = daily_equivalent(float(value), unit)
        return qs.filter(wage_daily__gte=daily) if daily is not None else qs

    def filter_days(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        since = timezone.now() - dt.timedelta(days=int(value))
        return qs.filter(published_at__gte=since)

    def filter_site(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return qs.filter(service_point_id=int(value))

    def filter_suitable(self, qs: QuerySet[JobPosting], name: str, value: list[str]) -> QuerySet[JobPosting]:
        condition = Q()
        for key in value:
            condition &= Q(**{SUITABLE_FIELDS[key]: True})
        return qs.filter(condition)

    def filter_queryset(self, queryset: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
        qs = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        near = (data.get("near") or "").strip()
        self.origin = _near_choice_or_point(near) if near else None
        if self.origin is None and (near == "home" or data.get("sort") == "near"):
            self.origin = self.home
        km = data.get("km")
        if self.origin is not None and (km or near):
            qs = within_km(qs, *self.origin, float(km or 10))
        return qs

    @property
    def order(self) -> str:
        """The chosen order; "near" only when there is a place to measure from."""
        self.errors  # noqa: B018 - validates the form, filling cleaned_data
        sort = self.form.cleaned_data.get("sort") or "new"
        return "new" if sort == "near" and self.origin is None else sort
