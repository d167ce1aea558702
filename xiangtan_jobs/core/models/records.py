"""The raw facts behind the bureau's KPIs: person-times served and events held at a site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.core.enums import EventKind, ServiceKind


class ServiceRecord(TimeStampedModel):
    """One person-time (人次) served at a service point."""

    # Empty only for a city fair's person-times (the bureau's own fairs belong to no site,
    # docs/kpis.md): those count in the city total and in ``area``'s district.
    service_point = models.ForeignKey(
        "core.ServicePoint",
        verbose_name="服务点",
        null=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    area = models.ForeignKey(
        "core.Area",
        verbose_name="所在区域（无服务点时）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seeker = models.ForeignKey(
        "core.SeekerRegistration",
        verbose_name="求职者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_records",
    )
    kind = models.CharField("服务类型", max_length=20, choices=ServiceKind.choices)
    served_at = models.DateTimeField("服务时间")
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="服务人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("服务内容", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-served_at", "-id"]
        constraints = [
            choices_constraint("kind", ServiceKind, "servicerecord_kind_valid"),
            models.CheckConstraint(
                condition=Q(service_point__isnull=False) | Q(area__isnull=False), name="servicerecord_site_or_area"
            ),
        ]
        indexes = [models.Index(fields=["service_point", "served_at"], name="servicerecord_site_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.service_point_id}"


class SiteEvent(TimeStampedModel):
    """A recruitment (or training, policy) event held at a service point."""

    # Empty only for a day of a city fair (the bureau's own, at no site, docs/kpis.md): it counts
    # in the city total and in ``area``'s district.
    service_point = models.ForeignKey(
        "core.ServicePoint", verbose_name="服务点", null=True, on_delete=models.PROTECT, related_name="events"
    )
    area = models.ForeignKey(
        "core.Area",
        verbose_name="所在区域（无服务点时）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("活动名称", max_length=100)
    kind = models.CharField("活动类型", max_length=16, choices=EventKind.choices, default=EventKind.RECRUITMENT)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    venue = models.CharField("地点", max_length=128, blank=True)
    employer_count = models.PositiveIntegerField("参会单位数", default=0)
    post_count = models.PositiveIntegerField("提供岗位数", default=0)
    attendance = models.PositiveIntegerField("参加人次", default=0)
    intentions = models.PositiveIntegerField("达成意向人数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "服务点活动"
        verbose_name_plural = "服务点活动"
        ordering = ["-starts_at"]
        constraints = [
            choices_constraint("kind", EventKind, "siteevent_kind_valid"),
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="siteevent_ends_after_start"),
            models.CheckConstraint(
                condition=Q(intentions__lte=F("attendance")), name="siteevent_intentions_le_attendance"
            ),
            models.CheckConstraint(
                condition=Q(service_point__isnull=False) | Q(area__isnull=False), name="siteevent_site_or_area"
            ),
        ]
        indexes = [models.Index(fields=["service_point", "starts_at"], name="siteevent_site_time")]

    def __str__(self) -> str:
        return self.title
