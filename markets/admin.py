"""Admin registration of gig markets."""

from __future__ import annotations

from django.contrib import admin

from .models import GigMarket


@admin.register(GigMarket)
class GigMarketAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "focus", "phone", "status", "is_demo")
    list_filter = ("focus", "status", "is_demo")
    search_fields = ("name", "address")
    list_select_related = ("area",)
