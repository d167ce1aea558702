"""Admin registrations of the shared nouns (plain; the operators' scoped admin builds on these)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import (
    AccessLog,
    Area,
    Employer,
    InboxMessage,
    JobPosting,
    OperatorMembership,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    ServiceRecord,
    SiteEvent,
    Skill,
    SkillCategory,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("角色", {"fields": ("role", "display_name")}))


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    list_select_related = ("parent",)


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name",)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "alias_of", "certificate_required", "is_gig")
    list_filter = ("category", "certificate_required", "is_gig")
    search_fields = ("name", "code")
    list_select_related = ("category", "alias_of")
    autocomplete_fields = ("alias_of",)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "phone", "status", "is_demo")
    list_filter = ("kind", "status", "is_demo")
    search_fields = ("name", "address")
    list_select_related = ("area",)


@admin.register(OperatorMembership)
class OperatorMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "service_point", "role")
    list_filter = ("role",)
    list_select_related = ("user", "service_point")
    autocomplete_fields = ("user", "service_point")


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "service_point", "verified")
    list_filter = ("verified",)
    search_fields = ("name", "credit_code")
    list_select_related = ("service_point",)


class PostingSkillInline(admin.TabularInline):
    model = PostingSkill
    extra = 1
    autocomplete_fields = ("skill",)


@admin.register(JobPosting)
class JobPostingAdmin(admin.ModelAdmin):
    list_display = ("title", "employer", "service_point", "work_type", "wage_min", "wage_max", "wage_unit", "status")
    list_filter = ("status", "work_type", "wage_unit")
    search_fields = ("title", "employer__name")
    list_select_related = ("employer", "service_point")
    raw_id_fields = ("employer",)
    inlines = [PostingSkillInline]


class SeekerSkillInline(admin.TabularInline):
    model = SeekerSkill
    extra = 1
    autocomplete_fields = ("skill",)


@admin.register(SeekerRegistration)
class SeekerRegistrationAdmin(admin.ModelAdmin):
    list_display = ("masked_name", "masked_phone", "birth_year", "area", "status", "service_point")
    list_filter = ("status",)
    search_fields = ("phone_last4",)
    list_select_related = ("area", "service_point")
    exclude = ("id_number",)
    raw_id_fields = ("user", "registered_by")
    inlines = [SeekerSkillInline]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ("service_point", "kind", "served_at")
    list_filter = ("kind",)
    list_select_related = ("service_point",)
    raw_id_fields = ("seeker",)


@admin.register(SiteEvent)
class SiteEventAdmin(admin.ModelAdmin):
    list_display = ("title", "service_point", "starts_at", "attendance", "intentions")
    list_select_related = ("service_point",)


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    raw_id_fields = ("user",)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "seeker")
    raw_id_fields = ("user", "seeker")
