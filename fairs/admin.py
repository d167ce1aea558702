"""Admin registrations of job fairs."""

from __future__ import annotations

from django.contrib import admin

from .models import Exhibitor, FairSession, FairSignup, JobFair


class FairSessionInline(admin.TabularInline):
    model = FairSession
    extra = 0


@admin.register(JobFair)
class JobFairAdmin(admin.ModelAdmin):
    list_display = ("title", "series", "starts_on", "ends_on", "venue", "status")
    list_filter = ("series", "status")
    search_fields = ("title", "venue")
    inlines = [FairSessionInline]


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
    list_display = ("fair", "employer", "booth")
    list_select_related = ("fair", "employer")
    raw_id_fields = ("employer", "postings")


@admin.register(FairSignup)
class FairSignupAdmin(admin.ModelAdmin):
    list_display = ("session", "seeker", "status", "checked_in_at")
    list_filter = ("status",)
    list_select_related = ("session__fair",)
    raw_id_fields = ("seeker",)


admin.site.register(FairSession)
