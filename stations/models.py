"""Youth employment & entrepreneurship stations (青年驿站)."""

from __future__ import annotations

from django.db import models

from xiangtan_jobs.common.models import choices_constraint
from xiangtan_jobs.core.models import ServicePoint

from .enums import StationHost


class YouthStation(ServicePoint):
    """A youth station: consultation, training, recruitment and startup incubation."""

    host = models.CharField("依托场所", max_length=16, choices=StationHost.choices, default=StationHost.COMMUNITY)
    host_name = models.CharField("依托单位", max_length=64, blank=True)

    class Meta:
        verbose_name = "青年驿站"
        verbose_name_plural = "青年驿站"
        constraints = [choices_constraint("host", StationHost, "youthstation_host_valid")]
