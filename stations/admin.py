"""Admin of youth stations: superusers manage them, operators see their own, the bureau all."""

from __future__ import annotations

from django.contrib import admin

from xiangtan_jobs.core.admin import ServicePointAdminBase

from .models import YouthStation


@admin.register(YouthStation)
class YouthStationAdmin(ServicePointAdminBase):
    list_display = ("name", "area", "host", "phone", "status", "is_demo")
    list_filter = ("host", "status", "is_demo")
