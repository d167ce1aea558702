"""Admin of gig markets: superusers manage them, operators see their own, the bureau all."""

from __future__ import annotations

from django.contrib import admin

from xiangtan_jobs.core.admin import ServicePointAdminBase

from .models import GigMarket


@admin.register(GigMarket)
class GigMarketAdmin(ServicePointAdminBase):
    list_display = ("name", "area", "focus", "phone", "status", "is_demo")
    list_filter = ("focus", "status", "is_demo")
