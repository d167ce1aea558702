"""Admin of job fairs: the bureau organises them (superusers edit); a hosting site's operators look."""

from __future__ import annotations

from django.contrib import admin

from xiangtan_jobs.core.admin_scope import VIEW, ParentScopedInlineMixin, ScopedAdminMixin

from .models import Exhibitor, FairSession, FairSignup, JobFair

# Fairs are the bureau's events (春风行动); operators of the hosting site see them read-only.
OPERATOR_VIEW_ONLY = frozenset({VIEW})


class FairSessionInline(ParentScopedInlineMixin, admin.TabularInline):
    model = FairSession
    extra = 0


@admin.register(JobFair)
class JobFairAdmin(ScopedAdminMixin, admin.ModelAdmin):
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("title", "series", "starts_on", "ends_on", "venue", "status")
    list_filter = ("series", "status")
    search_fields = ("title", "venue")
    autocomplete_fields = ("area",)
    inlines = [FairSessionInline]


@admin.register(FairSession)
class FairSessionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    site_field = "fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("fair", "date", "starts_at", "ends_at", "capacity")
    list_select_related = ("fair",)
    search_fields = ("fair__title",)


@admin.register(Exhibitor)
class ExhibitorAdmin(ScopedAdminMixin, admin.ModelAdmin):
    site_field = "fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("fair", "employer", "booth")
    list_select_related = ("fair", "employer")
    raw_id_fields = ("employer", "postings")


@admin.register(FairSignup)
class FairSignupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    site_field = "session__fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("session", "seeker", "status", "checked_in_at")
    list_filter = ("status",)
    list_select_related = ("session__fair", "seeker")
    raw_id_fields = ("seeker",)
    show_full_result_count = False
