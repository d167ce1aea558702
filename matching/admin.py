"""Admin registration of matches."""

from __future__ import annotations

from django.contrib import admin

from .models import Match


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("posting", "seeker", "score", "status", "is_current", "status_changed_at")
    list_filter = ("status", "is_current")
    list_select_related = ("posting", "seeker")
    raw_id_fields = ("posting", "seeker", "status_changed_by")
