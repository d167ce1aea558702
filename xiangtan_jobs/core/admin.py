"""The operators' admin of the shared nouns, scoped to their service points (see admin_scope.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.fields import AmountField
from xiangtan_jobs.common.import_storage import SealedImportMixin
from xiangtan_jobs.common.parsing import parse_id
from xiangtan_jobs.common.validators import (
    is_mobile,
    normalize_credit_code,
    normalize_mobile,
    normalize_resident_id,
    resident_id_birth_date,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)
from xiangtan_jobs.core import services
from xiangtan_jobs.core.admin_scope import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    ParentScopedInlineMixin,
    ReferenceAdminMixin,
    ScopedAdminMixin,
    StaffRole,
    SuperuserOnlyAdminMixin,
    operator_site_ids,
    reviewer_site_ids,
    staff_role,
)
from xiangtan_jobs.core.api.admin import ApiTokenAdmin  # noqa: F401  (registered beside the API)
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.enums import KeyGroup, PostingStatus, SeekerStatus, Shift, WorkType
from xiangtan_jobs.core.resources import PostingResource, SeekerExportResource, SeekerImportResource

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

# --- filters that never list other sites --------------------------------------------------


class SiteListFilter(admin.SimpleListFilter):
    """Filter by service point, offering only the sites the user may see (none for one site)."""

    title = "服务点"
    parameter_name = "site"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        self.site_field = model_admin.site_field
        super().__init__(request, params, model, model_admin)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        role = staff_role(request.user)
        if role is StaffRole.OPERATOR:
            ids = operator_site_ids(request)
            if len(ids) < 2:
                return []
            sites = ServicePoint.objects.filter(pk__in=ids)
        else:
            sites = ServicePoint.objects.all()
        return [(str(pk), name) for pk, name in sites.values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        site_id = parse_id(self.value())
        if site_id is None:
            return queryset
        return queryset.filter(**{self.site_field: site_id})


class SkillCategoryFilter(admin.SimpleListFilter):
    """Postings asking for any skill of a category (an EXISTS, so no duplicate rows)."""

    title = "技能类别"
    parameter_name = "skill_category"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in SkillCategory.objects.values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        category_id = parse_id(self.value())
        if category_id is None:
            return queryset
        wanted = PostingSkill.objects.filter(posting=OuterRef("pk"), skill__category_id=category_id)
        return queryset.filter(Exists(wanted))


class AuditedExportMixin:
    """For an ImportExportModelAdmin: every export is in the audit log (who, what, how many rows)."""

    def get_export_data(self, file_format: Any, request: HttpRequest, queryset: QuerySet[Any], **kwargs: Any) -> Any:
        data = super().get_export_data(file_format, request, queryset, **kwargs)  # type: ignore[misc]
        model = queryset.model._meta
        services.audit_export(
            user=acting_user(request),
            what=f"{model.label} {model.verbose_name} {type(file_format).__name__}",
            rows=queryset.count(),
            request=request,
        )
        return data


# --- reference data (superusers manage; every staff role may look) -------------------------


@admin.register(User)
class UserAdmin(SuperuserOnlyAdminMixin, DjangoUserAdmin):
    # No phone on this list: seekers' usernames are random and their names are masked. A seeker is
    # found by the number typed in the search box, through the registration's phone digest.
    list_display = ("username", "shown_name", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("username", "display_name")

    @admin.display(description="显示名称")
    def shown_name(self, obj: User) -> str:
        return str(obj) if obj.is_seeker else obj.display_name

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        phone = normalize_mobile(search_term)
        if is_mobile(phone):
            by_phone = SeekerRegistration.objects.filter(phone_digest=pii_digest(phone)).values("user_id")
            results = results | queryset.filter(pk__in=by_phone)
        return results, duplicates

    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("角色", {"fields": ("role", "display_name")}))


# Rights come from roles (admin_scope.py), not groups; groups stay a superuser's tool.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdminMixin, DjangoGroupAdmin):
    pass


@admin.register(Area)
class AreaAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    list_select_related = ("parent",)


@admin.register(SkillCategory)
class SkillCategoryAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name",)


@admin.register(Skill)
class SkillAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "category", "alias_of", "aliases", "certificate_required", "is_gig")
    list_filter = ("category", "certificate_required", "is_gig")
    search_fields = ("name", "code", "aliases")
    list_select_related = ("category", "alias_of")
    autocomplete_fields = ("alias_of",)


class ServicePointAdminBase(ScopedAdminMixin, admin.ModelAdmin):
    """Service points: superusers manage them; operators see their own; the bureau sees all."""

    site_field = "pk"
    operator_actions = frozenset({VIEW})
    list_display = ("name", "kind", "area", "phone", "status", "is_demo")
    list_filter = ("kind", "status", "is_demo")
    search_fields = ("name", "address")
    list_select_related = ("area",)
    autocomplete_fields = ("area",)


@admin.register(ServicePoint)
class ServicePointAdmin(ServicePointAdminBase):
    pass


@admin.register(OperatorMembership)
class OperatorMembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who operates or reviews for which site: superusers only (the bureau may look)."""

    operator_actions = frozenset()
    list_display = ("user", "service_point", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name", "service_point__name")
    list_select_related = ("user", "service_point")
    autocomplete_fields = ("user", "service_point")


# UserAdmin's search_fields serve the membership form's autocomplete.


@admin.register(InboxMessage)
class InboxMessageAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(AccessLog)
class AccessLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The audit trail of personal-data views: read-only for everyone, operators not at all."""

    site_field = "seeker__service_point"
    operator_actions = frozenset()
    list_display = ("at", "user", "action", "seeker", "detail", "rows", "path")
    list_select_related = ("user", "seeker")
    list_filter = ("action",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- employers --------------------------------------------------------------------------------


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ("name", "credit_code", "contact_name", "contact_phone", "address", "area", "service_point")

    def clean_credit_code(self) -> str | None:
        # Normalise first (spaces, full-width, lower case) so what is stored is canonical.
        value = normalize_credit_code(self.cleaned_data.get("credit_code"))
        if not value:
            return None
        validate_credit_code(value)
        return value


@admin.register(Employer)
class EmployerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = EmployerForm
    list_display = ("name", "credit_code", "contact_name", "service_point", "verified", "verified_at")
    list_filter = ("verified", SiteListFilter)
    search_fields = ("name", "credit_code")
    list_select_related = ("service_point",)
    autocomplete_fields = ("area",)
    readonly_fields = ("verified", "verified_at", "verified_by", "is_demo")
    actions = ("verify",)
    show_full_result_count = False

    def has_verify_permission(self, request: HttpRequest) -> bool:
        """Verifying is a review: the bureau, a superuser or a site's designated reviewer (审核员)."""
        role = staff_role(request.user)
        return role in (StaffRole.SUPERUSER, StaffRole.BUREAU) or bool(reviewer_site_ids(request))

    @admin.action(description="核验通过所选单位", permissions=("verify",))
    def verify(self, request: HttpRequest, queryset: QuerySet[Employer]) -> None:
        done, refused = 0, []
        actor = acting_user(request)
        for employer in queryset:
            # A reviewer verifies their own site's employers only; the service says who may.
            if not services.employer_verifier(employer=employer, actor=actor):
                refused.append(employer.name)
                continue
            services.employer_verify(employer=employer, actor=actor)
            done += 1
        if done:
            self.message_user(request, f"已核验 {done} 家单位", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"未核验 {len(refused)} 家单位（{'、'.join(refused[:5])}）："
                "只有人社局或该单位所在服务点的审核员可以核验，请联系审核员",
                messages.ERROR,
            )

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        # A pasted credit code in lower case or with spaces still finds its employer.
        code = normalize_credit_code(search_term)
        if len(code) == 18:
            return queryset.filter(credit_code=code), False
        return super().get_search_results(request, queryset, search_term)


# --- postings ---------------------------------------------------------------------------------


class PostingSkillInline(ParentScopedInlineMixin, admin.TabularInline):
    model = PostingSkill
    extra = 1
    autocomplete_fields = ("skill",)


class RejectForm(forms.Form):
    reason = forms.CharField(label="不通过的原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class JobPostingForm(forms.ModelForm):
    # Tick boxes in words, not the stored JSON list of codes (["weekday_morning", ...]).
    shifts = forms.MultipleChoiceField(
        label="上班时段",
        choices=Shift.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="都不选表示时间灵活",
    )
    wage_min = AmountField(label="薪资下限(元)", help_text="计件可填小数，例如 0.5")
    wage_max = AmountField(label="薪资上限(元)", help_text="只有一个数时与下限相同")

    class Meta:
        model = JobPosting
        fields = "__all__"  # noqa: DJ007 -- the admin picks the fields (its exclude and read-only lists)
        help_texts = {"lat": "留空取所在街道/乡镇的中心", "lng": "留空取所在街道/乡镇的中心"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nobody at a counter types degrees: an empty place is the street's or town's centre.
        for name in ("lat", "lng"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        area = data.get("area")
        if area is not None:
            if data.get("lat") is None:
                data["lat"] = area.lat
            if data.get("lng") is None:
                data["lng"] = area.lng
        return data


@admin.register(JobPosting)
class JobPostingAdmin(
    ScopedAdminMixin, AuditedExportMixin, SealedImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    form = JobPostingForm

    list_display = (
        "title",
        "employer",
        "service_point",
        "work_type",
        "wage",
        "headcount",
        "status",
        "published_at",
        "expires_on",
        "matches_link",
        "poster_link",
    )
    list_filter = ("status", "work_type", SkillCategoryFilter, "published_at", "expires_on", SiteListFilter)
    search_fields = ("title", "employer__name", "=external_ref")
    search_help_text = "按岗位名称、用人单位或岗位编号查找"
    list_select_related = ("employer", "service_point")
    # 50,000 postings: no COUNT(*) of the unfiltered table on every page, no date drill-down.
    show_full_result_count = False
    list_per_page = 50
    # Newest first by id: the primary key's index serves it; (-published_at, -id) has only
    # partial indexes for published rows and cost 300 ms a page over 50,000 postings.
    ordering = ("-id",)
    autocomplete_fields = ("employer", "area")
    inlines = [PostingSkillInline]
    readonly_fields = ("status", "published_at", "closed_at", "review_note", "wage_daily", "created_by")
    exclude = ("district",)
    actions = ("publish", "close", "mark_filled", "relist", "duplicate", "approve", "reject")
    resource_classes = [PostingResource]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    # A BOM before the CSV: Excel and WPS then read it as UTF-8 (without, Chinese is garbled).
    to_encoding = "utf-8-sig"
    import_error_display = ("message", "row")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not reviewer_site_ids(request):
            actions.pop("approve", None)
            actions.pop("reject", None)
        return actions

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_import_resource_kwargs(request, **kwargs), "request": request}

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "request": request}

    def get_import_data_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        # All or nothing: one bad row rolls the whole file back.
        return {**super().get_import_data_kwargs(request=request, **kwargs), "rollback_on_validation_errors": True}

    def get_valid_export_item_pks(self, request: HttpRequest) -> Any:
        return self.get_queryset(request).values_list("pk", flat=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Operators delete only drafts; anything seekers may have seen is closed instead.
        if obj is not None and not request.user.is_superuser and obj.status != PostingStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="薪资")
    def wage(self, obj: JobPosting) -> str:
        return obj.wage_display

    @admin.display(description="推荐人选")
    def matches_link(self, obj: JobPosting) -> str:
        url = reverse("admin:matching_match_changelist") + f"?posting__id__exact={obj.pk}"
        return format_html('<a href="{}">查看</a>', url)

    @admin.display(description="海报")
    def poster_link(self, obj: JobPosting) -> str:
        """The posting's A4 sheet with its QR code (open postings only), for the notice wall."""
        if not obj.is_open:
            return "-"
        url = reverse("posters:posting-poster", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">打印</a>', url)

    def save_model(self, request: HttpRequest, obj: JobPosting, form: Any, change: bool) -> None:
        services.posting_derive_fields(posting=obj)
        if not change:
            obj.created_by = acting_user(request)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the skills inline: the search text and the matching see the whole edit.
        services.posting_content_changed(posting=form.instance)

    # The posting's own page: publish / close / mark filled as buttons (the same actions as the
    # list's, on this one posting), offered by what its status allows.
    change_form_template = "admin/core/jobposting/change_form.html"
    STATUS_BUTTONS: dict[str, tuple[str, tuple[str, ...]]] = {
        "publish": ("发布", (PostingStatus.DRAFT, PostingStatus.REJECTED)),
        "mark_filled": ("标记为已招满", (PostingStatus.PUBLISHED,)),
        "close": ("结束招聘", (PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW, PostingStatus.PUBLISHED)),
    }

    def get_urls(self) -> list[Any]:
        from django.urls import path

        own = [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="core_jobposting_status",
            )
        ]
        return own + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        buttons = []
        if obj is not None and self.has_change_permission(request, obj):
            buttons = [(key, label) for key, (label, states) in self.STATUS_BUTTONS.items() if obj.status in states]
        context = {**(extra_context or {}), "status_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def status_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST: one status button of the posting's page, through the list's action (and its service)."""
        from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)  # the scoped queryset: another site's posting is 404
        if obj is None:
            raise Http404("没有找到这个岗位")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        key = request.POST.get("do", "")
        if key not in self.STATUS_BUTTONS:
            self.message_user(request, "请点页面上的按钮（发布、标记为已招满或结束招聘）。", messages.ERROR)
        else:
            getattr(self, key)(request, self.get_queryset(request).filter(pk=obj.pk))
        return HttpResponseRedirect(reverse("admin:core_jobposting_change", args=[obj.pk]))

    # Each action calls the service for every selected posting and reports what it could not do.
    def _run(
        self,
        request: HttpRequest,
        queryset: QuerySet[JobPosting],
        label: str,
        fn: Callable[[JobPosting, User], object],
    ) -> None:
        """Apply one posting service to each selected posting, as the acting operator."""
        actor = acting_user(request)
        done, failed = 0, []
        for posting in queryset.select_related("employer"):
            try:
                fn(posting, actor)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                failed.append(f"{posting.title}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, f"{label}：{done} 个岗位", messages.SUCCESS)
        for msg in failed:
            self.message_user(request, msg, messages.WARNING)

    @admin.action(description="发布所选岗位（未核验单位的岗位先送审）", permissions=("change",))
    def publish(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> None:
        self._run(request, queryset, "已发布或送审", lambda p, actor: services.posting_publish(posting=p, actor=actor))

    @admin.action(description="结束招聘", permissions=("change",))
    def close(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> None:
        self._run(request, queryset, "已结束招聘", lambda p, actor: services.posting_close(posting=p, actor=actor))

    @admin.action(description="标记为已招满", permissions=("change",))
    def mark_filled(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> None:
        self._run(
            request, queryset, "已标记招满", lambda p, actor: services.posting_mark_filled(posting=p, actor=actor)
        )

    @admin.action(description="重新发布（截止日期顺延 30 天）", permissions=("change",))
    def relist(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> None:
        self._run(request, queryset, "已重新发布", lambda p, actor: services.posting_relist(posting=p, actor=actor))

    @admin.action(description="复制为新草稿", permissions=("add",))
    def duplicate(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> None:
        self._run(request, queryset, "已复制", lambda p, actor: services.posting_duplicate(posting=p, actor=actor))

    @admin.action(description="审核通过", permissions=("change",))
    def approve(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> None:
        self._run(request, queryset, "审核通过", lambda p, actor: services.posting_approve(posting=p, actor=actor))

    @admin.action(description="审核不通过（需填写原因）", permissions=("change",))
    def reject(self, request: HttpRequest, queryset: QuerySet[JobPosting]) -> HttpResponse | None:
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._run(
                request,
                queryset,
                "已退回",
                lambda p, actor: services.posting_reject(posting=p, actor=actor, reason=reason),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "审核不通过",
            "opts": self.opts,
            "form": form,
            "queryset": queryset,
            "action": "reject",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/core/jobposting/reject.html", context)


# --- seekers (walk-in registrations) ------------------------------------------------------------


class SeekerSkillInline(ParentScopedInlineMixin, admin.TabularInline):
    model = SeekerSkill
    extra = 1
    autocomplete_fields = ("skill",)


# What a walk-in registration asks beyond name, phone and ID number: the form and the admin page.
REGISTRATION_FORM_FIELDS = (
    "birth_year",
    "area",
    "home_lat",
    "home_lng",
    "travel_km",
    "work_types",
    "shifts",
    "expected_wage",
    "expected_unit",
    "tags",
    "status",
    "service_point",
    "note",
)


class RegistrationForm(forms.ModelForm):
    """The counter's form: phone normalised and checked, ID number write-only, tick boxes for lists."""

    phone = forms.CharField(label="手机号", max_length=20)
    id_number_input = forms.CharField(
        label="身份证号（选填）",
        required=False,
        max_length=24,
        help_text="只用于核对身份，保存后只显示前 3 位和后 4 位；留空表示不修改",
    )
    work_types = forms.MultipleChoiceField(
        label="想做的用工形式", choices=WorkType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    shifts = forms.MultipleChoiceField(
        label="可上班时段", choices=Shift.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.MultipleChoiceField(
        label="重点群体", choices=KeyGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    home_lat = forms.FloatField(label="居住地纬度", required=False, help_text="留空则用所选街道/乡镇的中心")
    home_lng = forms.FloatField(label="居住地经度", required=False, help_text="留空则用所选街道/乡镇的中心")

    class Meta:
        model = SeekerRegistration
        fields = ("name", "phone", *REGISTRATION_FORM_FIELDS)

    def clean_phone(self) -> str:
        value = normalize_mobile(self.cleaned_data.get("phone"))
        validate_mobile(value)
        return value

    def clean_id_number_input(self) -> str:
        value = normalize_resident_id(self.cleaned_data.get("id_number_input"))
        if value:
            validate_resident_id(value)
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        area = data.get("area")
        if area is not None:
            if data.get("home_lat") is None:
                data["home_lat"] = area.lat
            if data.get("home_lng") is None:
                data["home_lng"] = area.lng
            self.instance.home_lat = data["home_lat"]
            self.instance.home_lng = data["home_lng"]
        phone = data.get("phone")
        if phone:
            taken = SeekerRegistration.objects.current().filter(phone_digest=pii_digest(phone))
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                # Say it exists, not where: the other site's record is not this operator's to see.
                self.add_error("phone", "这个手机号已有求职登记，请用手机号搜索找到原登记，不要重复登记")
        id_number = data.get("id_number_input")
        if id_number:
            taken = SeekerRegistration.objects.current().filter(id_digest=pii_digest(id_number))
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                # As for the phone: it exists, not where (was an IntegrityError, a 500, naming no site).
                self.add_error("id_number_input", "这个身份证号已有求职登记，请找到原登记，不要重复登记")
        # The public form's rules (portal/forms.py PersonForm): 16 or older, and the ID's birth year.
        year = data.get("birth_year")
        this_year = timezone.localdate().year
        if year is not None and not 1930 <= year <= this_year - 16:
            self.add_error("birth_year", f"出生年份应在 1930 到 {this_year - 16} 之间（年满 16 岁才能登记）")
        elif year is not None and id_number and resident_id_birth_date(id_number).year != year:
            self.add_error("birth_year", "出生年份和身份证号上的不一致，请核对")
        return data

    def save(self, commit: bool = True) -> SeekerRegistration:
        obj = super().save(commit=False)
        if self.cleaned_data.get("id_number_input"):
            obj.id_number = self.cleaned_data["id_number_input"]
        if commit:
            obj.save()
            self.save_m2m()
        return obj


@admin.register(SeekerRegistration)
class SeekerRegistrationAdmin(
    ScopedAdminMixin, AuditedExportMixin, SealedImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    """Walk-in registrations (铁脚板) and the site's seekers; personal data masked, views logged."""

    operator_actions = frozenset({VIEW, ADD, CHANGE})
    form = RegistrationForm
    list_display = ("masked_name", "masked_phone", "birth_year", "area", "status", "service_point", "created_at")
    list_filter = ("status", "consent_method", SiteListFilter)
    list_select_related = ("area", "service_point")
    search_fields = ("name",)
    search_help_text = "输入姓名、手机号后 4 位或完整手机号查找"
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ("area",)
    inlines = [SeekerSkillInline]
    actions = ("mark_employed", "pause")
    resource_classes = [SeekerImportResource]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    # A BOM before the CSV: Excel and WPS then read it as UTF-8 (without, Chinese is garbled).
    to_encoding = "utf-8-sig"
    import_error_display = ("message", "row")

    def get_export_resource_classes(self, request: HttpRequest) -> list[Any]:
        # Exports never carry a full phone or ID number, whoever asks.
        return [SeekerExportResource]

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_import_resource_kwargs(request, **kwargs), "request": request}

    def get_import_data_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_import_data_kwargs(request=request, **kwargs), "rollback_on_validation_errors": True}

    def get_valid_export_item_pks(self, request: HttpRequest) -> Any:
        return self.get_queryset(request).values_list("pk", flat=True)

    def sees_full_phone(self, request: HttpRequest, obj: SeekerRegistration | None) -> bool:
        """Only the seeker's own site sees (and edits) the full phone; a new registration types it."""
        if obj is None:
            return True
        return obj.service_point_id in operator_site_ids(request)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if self.sees_full_phone(request, obj):
            return form
        # A declared form field is always on the form; drop it for those who may not see it.
        # (Set after the class exists: the form metaclass would rebuild base_fields from attrs.)
        masked: Any = type(form.__name__, (form,), {})
        masked.base_fields = {k: v for k, v in form.base_fields.items() if k != "phone"}
        return masked

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        phone = ["phone"] if self.sees_full_phone(request, obj) else ["masked_phone"]
        fields = [
            "name",
            *phone,
            "id_number_input" if obj is None else "masked_id_number",
            *REGISTRATION_FORM_FIELDS,
            "consent_method",
            "consent_version",
            "consent_at",
            "registered_by",
            "user",
        ]
        if obj is not None and self.has_change_permission(request, obj):
            fields.insert(fields.index("masked_id_number") + 1, "id_number_input")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        fields += ["masked_phone", "masked_id_number", "consent_method", "consent_version", "consent_at"]
        fields += ["registered_by", "user"]
        return fields

    @admin.display(description="手机号")
    def masked_phone(self, obj: SeekerRegistration) -> str:
        return obj.masked_phone

    @admin.display(description="身份证号")
    def masked_id_number(self, obj: SeekerRegistration) -> str:
        return obj.masked_id_number or "-"

    @admin.display(description="姓名")
    def masked_name(self, obj: SeekerRegistration) -> str:
        return obj.masked_name

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        term = search_term.strip()
        digits = normalize_mobile(term)
        if digits.isdigit() and len(digits) == 11:
            return queryset.filter(phone_digest=pii_digest(digits)), False
        if digits.isdigit() and len(digits) == 4:
            return queryset.filter(phone_last4=digits), False
        return super().get_search_results(request, queryset, term)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200:
            obj = response.context_data.get("original") if hasattr(response, "context_data") else None
            if obj is not None and self.sees_full_phone(request, obj):
                # PIPL accountability: every look at a full phone number is on record.
                services.audit_access(user=acting_user(request), seeker=obj, action="view_phone", path=request.path)
        return response

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        # A past version's page shows the full phone to the seeker's own site, like the record.
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200:
            obj = self.get_object(request, object_id)
            if obj is not None and self.sees_full_phone(request, obj):
                services.audit_access(user=acting_user(request), seeker=obj, action="view_history", path=request.path)
        return response

    def save_model(self, request: HttpRequest, obj: SeekerRegistration, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        site_id = obj.service_point_id or self.single_site_id(request)
        if site_id is None or (site_id not in operator_site_ids(request) and not request.user.is_superuser):
            raise PermissionDenied
        services.registration_create_walk_in(
            registration=obj, service_point=ServicePoint.objects.get(pk=site_id), actor=acting_user(request)
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:  # a new walk-in registration is queued by registration_create_walk_in
            services.registration_content_changed(registration=form.instance)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Any], status: str, label: str) -> None:
        done, failed = 0, []
        for reg in queryset:
            try:
                services.registration_set_status(registration=reg, status=status, actor=acting_user(request))
                done += 1
            except ValidationError as exc:
                failed.append(f"{reg.masked_name}：{'；'.join(exc.messages)}")
        if done:
            self.message_user(request, f"{label}：{done} 人", messages.SUCCESS)
        for msg in failed:
            self.message_user(request, msg, messages.WARNING)

    @admin.action(description="标记为已就业", permissions=("change",))
    def mark_employed(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, SeekerStatus.EMPLOYED, "已标记就业")

    @admin.action(description="暂停求职", permissions=("change",))
    def pause(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_status(request, queryset, SeekerStatus.PAUSED, "已暂停求职")


# --- the site's records: services given and events held -----------------------------------------


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("served_at", "kind", "seeker", "service_point", "served_by", "note")
    list_filter = ("kind", "served_at", SiteListFilter)
    list_select_related = ("service_point", "seeker", "served_by")
    autocomplete_fields = ("seeker",)
    readonly_fields = ("served_by", "is_demo")
    show_full_result_count = False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        from django.utils import timezone

        return {"served_at": timezone.now(), **super().get_changeform_initial_data(request)}

    def save_model(self, request: HttpRequest, obj: ServiceRecord, form: Any, change: bool) -> None:
        if not change:
            obj.served_by = acting_user(request)
        super().save_model(request, obj, form, change)


@admin.register(SiteEvent)
class SiteEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "service_point",
        "starts_at",
        "employer_count",
        "post_count",
        "attendance",
        "intentions",
    )
    list_filter = ("kind", "starts_at", SiteListFilter)
    search_fields = ("title",)
    list_select_related = ("service_point",)
    readonly_fields = ("created_by", "is_demo")
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: SiteEvent, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = acting_user(request)
        super().save_model(request, obj, form, change)


__all__ = ["ADD", "CHANGE", "DELETE", "VIEW", "ServicePointAdminBase", "SiteListFilter"]
