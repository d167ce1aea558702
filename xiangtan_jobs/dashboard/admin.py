"""The bureau configures the assessment scheme here; frozen months and roll-ups are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AssessmentAdjustment, AssessmentMonth, AssessmentScheme, AssessmentWeight, RollupRun, SubsidyBand


def _bureau(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_superuser or getattr(user, "is_bureau", False))


class BureauOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _bureau(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _bureau(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _bureau(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _bureau(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _bureau(request)


class WeightInline(admin.TabularInline):
    model = AssessmentWeight
    extra = 0


class BandInline(admin.TabularInline):
    model = SubsidyBand
    extra = 0


def _scheme_used(obj: AssessmentScheme | None) -> bool:
    return obj is not None and AssessmentMonth.objects.filter(scheme=obj, closed_at__isnull=False).exists()


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(BureauOnly):
    list_display = ("name", "version", "effective_from")
    inlines = [WeightInline, BandInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version that scored a closed month stays as it was: add a new version instead.
        return _bureau(request) and not _scheme_used(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _bureau(request) and not _scheme_used(obj)


@admin.register(AssessmentMonth)
class AssessmentMonthAdmin(BureauOnly):
    list_display = ("month", "scheme", "closed_at", "closed_by")
    readonly_fields = ("month", "scheme", "closed_at", "closed_by")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AssessmentAdjustment)
class AssessmentAdjustmentAdmin(BureauOnly):
    list_display = ("assessment", "site", "kpi", "delta", "reason", "made_by", "created_at")
    list_select_related = ("assessment", "site", "made_by")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # through the assessment page, which records who

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RollupRun)
class RollupRunAdmin(BureauOnly):
    list_display = ("day_from", "day_to", "started_at", "finished_at", "rows")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
