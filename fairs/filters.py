"""Filters of the fairs' API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.common.api import IdFilter

from .models import JobFair


class FairFilter(django_filters.FilterSet):
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("只要未结束的（真）或已结束的（假）"))
    site = IdFilter(field_name="service_point_id", label=_("承办服务点编号"))
    series = django_filters.CharFilter(lookup_expr="icontains", label=_("系列活动包含"), max_length=40)

    class Meta:
        model = JobFair
        fields: list[str] = []

    def filter_upcoming(self, qs: QuerySet[JobFair], name: str, value: bool | None) -> QuerySet[JobFair]:
        if value is None:
            return qs
        today: dt.date = timezone.localdate()
        return qs.filter(ends_on__gte=today) if value else qs.filter(ends_on__lt=today)
