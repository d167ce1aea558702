"""The public job list's filters (django-filter): every filter is a URL parameter, so a result
page can be shared and survives paging and the back button.

Choices come from the cached reference lists (``selectors.reference_data``), never from a
queryset: a ``ModelChoiceFilter`` would spend a query per chosen filter validating the id.
A value that does not validate (``district=abc``, ``wage=-5``) is left out of the filtering,
not turned into an error page.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Collection
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.core.enums import WorkType
from xiangtan_jobs.core.models import JobPosting, PostingSkill
from xiangtan_jobs.core.models.postings import daily_equivalent
from xiangtan_jobs.core.selectors import keyword_filter, keyword_tiers, keyword_words, reference_data, within_km

SUITABLE_CHOICES = [
    ("older", _("欢迎大龄劳动者")),
    ("disability", _("适合残疾人")),
    ("mother", _("宝妈灵活时间")),
]
SUITABLE_FIELDS = {"older": "older_ok", "disability": "disability_ok", "mother": "mother_flexible"}
DAYS_CHOICES = [("1", _("今天")), ("3", _("3 天内")), ("7", _("1 周内")), ("30", _("1 个月内"))]
WAGE_UNIT_CHOICES = [("hour", _("元/小时")), ("day", _("元/天")), ("month", _("元/月"))]
KM_CHOICES = [("3", _("3 公里")), ("5", _("5 公里")), ("10", _("10 公里")), ("20", _("20 公里")), ("50", _("50 公里"))]
# "best" (最相关) is the order of a keyword search unless another is chosen; without a keyword
# there is nothing to be relevant to, and the list is newest first.
SORT_CHOICES = [("best", _("最相关")), ("new", _("最新发布")), ("wage", _("工资高")), ("near", _("离我近"))]
_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{1,8})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,8})?)\s*$")


def _district_ids() -> Collection[int]:
    return {pk for pk, _name in reference_data().districts}


def _town_ids() -> Collection[int]:
    return {pk for pk, parent in reference_data().area_parent.items() if parent is not None}


def _category_ids() -> Collection[int]:
    return {pk for pk, _name in reference_data().categories}


def _postings_with_skills(
    skill_ids: Collection[int], *, district: int | None = None, work_types: Collection[str] = ()
) -> RawSQL:
    """Ids of postings asking for any of these skills, as a subquery PostgreSQL plans on its own.

    "OFFSET 0" keeps the planner from folding it into a semi-join driven by the newest-first
    index: with a district too, that walk checked ~1,700 postings for ~20 hits (5-10 ms). On
    PostgreSQL the skills also carry their posting's district and work type (migration core/0007,
    kept by triggers), so a district or work type narrows the subquery itself to the few postings
    that qualify (an index range of ``postingskill_skill_place``) instead of a few hundred look-ups.
    The outer query still checks both on the posting, so the copy can only ever narrow, never add.
    """
    ids = sorted({int(pk) for pk in skill_ids}) or [0]
    table = PostingSkill._meta.db_table
    where = [f"skill_id IN ({', '.join(['%s'] * len(ids))})"]
    params: list[object] = [*ids]
    postgres = connection.vendor == "postgresql"
    if postgres and district is not None:
        where.append("district_id = %s")
        params.append(int(district))
    if postgres and work_types:
        where.append(f"work_type IN ({', '.join(['%s'] * len(work_types))})")
        params.extend(sorted(work_types))
    fence = " OFFSET 0" if postgres else ""
    # Only the table name, placeholders and constants are formatted in; the values are parameters.
    sql = f"SELECT posting_id FROM {table} WHERE {' AND '.join(where)}{fence}"  # nosec B608 # noqa: S608
    return RawSQL(sql, params)  # nosec B611 # noqa: S611


def _skill_ids() -> Collection[int]:
    return reference_data().skill_name.keys()


def _site_ids() -> Collection[int]:
    return reference_data().site_name.keys()


class RefIdField(forms.Field):
    """An id that must be in one of the cached reference lists (``valid`` returns the ids).

    Lighter than a ``ChoiceField`` over the same list: no choices to deep-copy per request and
    no walk over ~240 options to validate one value (profiled: half the filter set's time)."""

    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, *, valid: Callable[[], Collection[int]], **kwargs: Any) -> None:
        self.valid = valid
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return "" if value in self.empty_values else str(value).strip()

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and parse_id(value) not in self.valid():
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


class RefIdFilter(django_filters.Filter):
    field_class = RefIdField


def _near_choice_or_point(value: str) -> tuple[float, float] | None:
    """A place for "within N km": a district or town id, or "lat,lng" inside Xiangtan."""
    ref = reference_data()
    area_id = parse_id(value)
    if area_id in ref.area_point:
        return ref.area_point[area_id]
    match = _POINT.match(value)
    if match:
        lat, lng = float(match.group(1)), float(match.group(2))
        if 27.3 <= lat <= 28.1 and 111.9 <= lng <= 113.15:
            return lat, lng
    return None


class PostingFilter(django_filters.FilterSet):
    """Filters of /jobs/; ``origin`` is the place distances are measured from (or None)."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=40)
    district = RefIdFilter(label=_("区县"), valid=_district_ids, method="filter_district")
    town = RefIdFilter(label=_("街道/乡镇"), valid=_town_ids, method="filter_town")
    category = RefIdFilter(label=_("工种类别"), valid=_category_ids, method="filter_category")
    skill = RefIdFilter(label=_("工种"), valid=_skill_ids, method="filter_skill")
    # distinct=False: these filter columns of the posting itself (no join can repeat a row), and
    # django-filter's default DISTINCT made PostgreSQL sort every match on all columns.
    work_type = django_filters.MultipleChoiceFilter(label=_("用工形式"), choices=WorkType.choices, distinct=False)
    wage = django_filters.NumberFilter(label=_("工资至少"), method="filter_wage", min_value=0, max_value=1_000_000)
    wage_unit = django_filters.ChoiceFilter(label=_("工资单位"), choices=WAGE_UNIT_CHOICES, method="filter_noop")
    days = django_filters.ChoiceFilter(label=_("发布时间"), choices=DAYS_CHOICES, method="filter_days")
    site = RefIdFilter(label=_("服务点"), valid=_site_ids, method="filter_site")
    suitable = django_filters.MultipleChoiceFilter(
        label=_("适合人群"), choices=SUITABLE_CHOICES, method="filter_suitable", distinct=False
    )
    near = django_filters.CharFilter(label=_("离这里"), method="filter_noop", max_length=40)
    km = django_filters.ChoiceFilter(label=_("范围"), choices=KM_CHOICES, method="filter_noop")
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, method="filter_noop")

    class Meta:
        model = JobPosting
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[JobPosting] | None = None,
        *,
        home: tuple[float, float] | None = None,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # django-filter's own __init__, except that each filter is copied shallowly: its deep
        # copy (lazy labels, choices) was a tenth of the list's Python time. Nothing here mutates
        # a filter's nested state; re-setting ``method`` binds the method to the copy.
        if queryset is None:
            queryset = JobPosting.objects.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                filter_.method = filter_.method
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_
        self.home = home
        self.origin: tuple[float, float] | None = None
        self.keyword_index = True

    # --- filters --------------------------------------------------------------------------
    def filter_noop(self, qs: QuerySet[JobPosting], name: str, value: Any) -> QuerySet[JobPosting]:
        return qs

    def filter_q(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return keyword_filter(qs, value, use_index=self.keyword_index) if value.strip() else qs

    def qs_walking(self) -> QuerySet[JobPosting]:
        """The same result without the keyword's pieces-index condition (see ``keyword_filter``):
        for the page rows of a keyword with many matches."""
        self.keyword_index = False
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self.keyword_index = True

    def filter_district(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return qs.filter(district_id=int(value))

    def filter_town(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        return qs.filter(area_id=int(value))

    def filter_category(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        ref = reference_data()
        skill_ids = [pk for pk, _name in ref.skills_by_category.get(int(value), [])]
        return qs.filter(id__in=_postings_with_skills(skill_ids, **self._place()))

    def filter_skill(self, qs: QuerySet[JobPosting], name: str, value: str) -> QuerySet[JobPosting]:
        # The skill's group: asking for 养老护理员 also shows postings that ask for 护工.
        group = sorted(reference_data().skill_group.get(int(value), frozenset({int(value)})))
        return qs.filter(id__in=_postings_with_skills(group, **self._place()))

    def _place(self) -> dict[str, Any]:
        """The district and work types chosen with a skill (validated), to narrow its subquery."""
        data = self.form.cleaned_data
        return {
            "district": int(data["district"]) if data.get("district") else None,
            "work_types": list(data.get("work_type") or []),
        }

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
        data = self.form.cleaned_data
        has_keyword = bool(keyword_words(data.get("q") or ""))
        sort = data.get("sort") or ("best" if has_keyword else "new")
        if sort == "best" and not has_keyword:
            return "new"
        return "new" if sort == "near" and self.origin is None else sort

    def relevance_tiers(self, qs: QuerySet[JobPosting]) -> list[QuerySet[JobPosting]]:
        """The keyword result split into its relevance tiers (``keyword_tiers``), exclusive, best first."""
        conditions = keyword_tiers(self.form.cleaned_data.get("q") or "")
        if not conditions:
            return [qs]
        in_title, in_title_or_skill = conditions
        return [qs.filter(in_title), qs.exclude(in_title).filter(in_title_or_skill), qs.exclude(in_title_or_skill)]
