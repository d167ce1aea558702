"""Employers who post jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xiangtan_jobs.common.models import TimeStampedModel
from xiangtan_jobs.common.validators import ContactPhoneValidator, NameTextValidator, validate_credit_code


class Employer(TimeStampedModel):
    """A company or household hiring; identified by its unified social credit code."""

    name = models.CharField("单位名称", max_length=100, validators=[NameTextValidator()])
    # Households and individuals hiring day labour have no credit code.
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, null=True, blank=True, unique=True, validators=[validate_credit_code]
    )
    contact_name = models.CharField("联系人", max_length=32, blank=True, validators=[NameTextValidator()])
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[ContactPhoneValidator()])
    address = models.CharField("地址", max_length=128, blank=True)
    area = models.ForeignKey(
        "core.Area", verbose_name="所在区域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_point = models.ForeignKey(
        "core.ServicePoint",
        verbose_name="登记服务点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employers",
    )
    verified = models.BooleanField("已核验", default=False)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "用人单位"
        verbose_name_plural = "用人单位"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verified=False) | models.Q(verified_at__isnull=False),
                name="employer_verified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["service_point", "name"], name="employer_site_name")]

    def __str__(self) -> str:
        return self.name
