"""Admin registration of youth stations."""

from __future__ import annotations

from django.contrib import admin

from .models import YouthStation


@admin.register(YouthStation)
class YouthStationAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "host", "phone", "status", "is_demo")
    list_filter = ("host", "status", "is_demo")
    search_fields = ("name", "address")
    list_select_related = ("area",)
