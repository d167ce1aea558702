"""Gig markets (零工市场)."""

from __future__ import annotations

from django.db import models

from xiangtan_jobs.common.models import choices_constraint
from xiangtan_jobs.core.models import ServicePoint

from .enums import MarketFocus


class GigMarket(ServicePoint):
    """A gig market: a service point where day labourers and employers meet."""

    focus = models.CharField("行业特色", max_length=16, choices=MarketFocus.choices, default=MarketFocus.GENERAL)
    amenities = models.JSONField("便民设施", default=list, blank=True)
    landmark = models.CharField("附近地标", max_length=64, blank=True)

    class Meta:
        verbose_name = "零工市场"
        verbose_name_plural = "零工市场"
        constraints = [choices_constraint("focus", MarketFocus, "gigmarket_focus_valid")]
