"""Administrative places of Xiangtan: districts, county-level cities, zones, streets and towns."""

from __future__ import annotations

from django.db import models

from xiangtan_jobs.common.models import choices_constraint
from xiangtan_jobs.common.validators import validate_latitude, validate_longitude
from xiangtan_jobs.core.enums import TOP_LEVEL_AREA_KINDS, AreaKind


class AreaQuerySet(models.QuerySet["Area"]):
    def top_level(self) -> AreaQuerySet:
        return self.filter(parent__isnull=True)


class Area(models.Model):
    """A district/county-level city/zone, or a street/town inside one, with its centre."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=32)
    short_name = models.CharField("简称", max_length=16, blank=True)
    kind = models.CharField("类型", max_length=16, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lat = models.FloatField("中心纬度", validators=[validate_latitude])
    lng = models.FloatField("中心经度", validators=[validate_longitude])

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区域"
        verbose_name_plural = "行政区域"
        ordering = ["code"]
        constraints = [
            choices_constraint("kind", AreaKind, "area_kind_valid"),
            models.UniqueConstraint(fields=["parent", "name"], name="area_unique_name_in_parent"),
            # Top levels (district, county, zone) have no parent; streets and towns have one.
            models.CheckConstraint(
                condition=(models.Q(parent__isnull=True, kind__in=[k.value for k in TOP_LEVEL_AREA_KINDS]))
                | (models.Q(parent__isnull=False) & ~models.Q(kind__in=[k.value for k in TOP_LEVEL_AREA_KINDS])),
                name="area_level_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district(self) -> Area:
        return self.parent if self.parent_id else self  # type: ignore[return-value]  # parent_id set
