"""The "N" physical service points and who operates them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.common.validators import validate_latitude, validate_longitude
from xiangtan_jobs.core.enums import MembershipRole, ServicePointKind, ServicePointStatus

if TYPE_CHECKING:
    from .users import User


class ServicePointQuerySet(models.QuerySet["ServicePoint"]):
    def active(self) -> ServicePointQuerySet:
        return self.filter(status=ServicePointStatus.ACTIVE)

    def for_user(self, user: User) -> ServicePointQuerySet:
        """The service points a staff user may act for (bureau and superusers: all)."""
        if user.is_superuser or getattr(user, "is_bureau", False):
            return self.all()
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class ServicePoint(TimeStampedModel):
    """A gig market, youth station or HR market; feature apps extend it (multi-table)."""

    kind = models.CharField("类型", max_length=16, choices=ServicePointKind.choices)
    name = models.CharField("名称", max_length=64, unique=True)
    area = models.ForeignKey("core.Area", verbose_name="所在区域", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("地址", max_length=128)
    lat = models.FloatField("纬度", validators=[validate_latitude])
    lng = models.FloatField("经度", validators=[validate_longitude])
    hours = models.CharField("服务时间", max_length=64, blank=True)
    phone = models.CharField("服务电话", max_length=32, blank=True)
    operator_org = models.CharField("运营主体", max_length=64, blank=True)
    description = models.TextField("简介", blank=True)
    services = models.JSONField("服务内容", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ServicePointStatus.choices, default=ServicePointStatus.ACTIVE
    )
    # Sites beyond the ones the facts name are generated for the demo; say so everywhere.
    is_demo = models.BooleanField("演示数据", default=False)
    opened_on = models.DateField("启用日期", null=True, blank=True)

    objects = ServicePointQuerySet.as_manager()

    class Meta:
        verbose_name = "服务点"
        verbose_name_plural = "服务点"
        ordering = ["kind", "name"]
        constraints = [
            choices_constraint("kind", ServicePointKind, "servicepoint_kind_valid"),
            choices_constraint("status", ServicePointStatus, "servicepoint_status_valid"),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="sp_kind_status")]

    def __str__(self) -> str:
        return self.name


class OperatorMembership(TimeStampedModel):
    """An operator's right to act for one service point."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    service_point = models.ForeignKey(
        ServicePoint, verbose_name="服务点", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("岗位", max_length=16, choices=MembershipRole.choices, default=MembershipRole.OPERATOR)

    class Meta:
        verbose_name = "服务点成员"
        verbose_name_plural = "服务点成员"
        constraints = [
            models.UniqueConstraint(fields=["user", "service_point"], name="membership_unique_user_site"),
            choices_constraint("role", MembershipRole, "membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.service_point}"
