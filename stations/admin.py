"""Admin of youth stations: superusers manage them, operators see their own, the bureau all."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiangtan_jobs.common.masking import mask_name
from xiangtan_jobs.core.admin import ServicePointAdminBase
from xiangtan_jobs.core.admin_scope import NO_DELETE, ParentScopedInlineMixin, ScopedAdminMixin

from .models import (
    Consultation,
    ConsultationBooking,
    ConsultationSlot,
    Course,
    CourseEnrolment,
    CourseSession,
    ProjectFounder,
    ProjectMilestone,
    ProjectService,
    StartupProject,
    StationEvent,
    StationEventSignup,
    YouthStation,
)
from .services import (
    consultation_check,
    consultation_record,
    enrolment_complete,
    event_check,
    event_sync,
    project_service_record,
    slot_check,
    slot_create,
)


@admin.register(YouthStation)
class YouthStationAdmin(ServicePointAdminBase):
    list_display = ("name", "area", "host", "phone", "status", "is_demo")
    list_filter = ("host", "status", "is_demo")


class ConsultationSlotForm(forms.ModelForm):
    class Meta:
        model = ConsultationSlot
        fields = ("station", "topic", "starts_at", "ends_at", "capacity", "counsellor")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            slot_check(
                station=data["station"],
                topic=data["topic"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
            )
        return data


class ConsultationSlotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Consultation times of the operator's station; a new one goes through slot_create."""

    site_field = "station"
    form = ConsultationSlotForm
    list_display = ("starts_at", "ends_at", "topic", "station", "capacity", "counsellor")
    list_filter = ("topic",)

    def save_model(self, request: HttpRequest, obj: ConsultationSlot, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = slot_create(
            station=obj.station,
            topic=obj.topic,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            capacity=obj.capacity,
            counsellor=obj.counsellor,
        )
        obj.pk = created.pk


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ("station", "booking", "topic", "subject", "outcome", "served_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            consultation_check(station=data["station"], booking=data.get("booking"))
        return data


class ConsultationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Consultations given at the operator's station (booked or walk-in), each one person-time."""

    operator_actions = NO_DELETE  # a person-time or a seeker's own choice, as the markets' records

    site_field = "station"
    list_display = ("served_at", "topic", "subject", "station", "recorded_by")
    list_filter = ("topic",)
    fields = ("station", "booking", "topic", "subject", "outcome", "served_at")
    raw_id_fields = ("booking",)
    form = ConsultationForm

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Consultation, form: Any, change: bool) -> None:
        created = consultation_record(
            station=obj.station,
            actor=request.user,  # type: ignore[arg-type]
            topic=obj.topic,
            subject=obj.subject,
            outcome=obj.outcome,
            booking=obj.booking,
            served_at=obj.served_at,
        )
        obj.pk = created.pk


admin.site.register(ConsultationSlot, ConsultationSlotAdmin)
admin.site.register(Consultation, ConsultationAdmin)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = (
            "service_point",
            "title",
            "skill",
            "starts_on",
            "ends_on",
            "sessions",
            "seats",
            "place",
            "funding",
            "certificate",
            "attendance_required",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if self.instance.pk is None and starts is not None and starts < timezone.localdate():
            self.add_error("starts_on", _("开课日期已经过去了。"))
        if starts is not None and ends is not None and ends < starts:
            self.add_error("ends_on", _("结课日期不能早于开课日期。"))
        sessions, required = data.get("sessions"), data.get("attendance_required")
        if sessions is not None and required is not None and required > sessions:
            self.add_error("attendance_required", _("结业需出勤次数不能多于课时数。"))
        return data


class CourseSessionInline(ParentScopedInlineMixin, admin.TabularInline):
    model = CourseSession
    extra = 1
    fields = ("number", "date", "topic")


class CourseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Courses of the operator's own sites (a station or a gig market)."""

    form = CourseForm
    inlines = (CourseSessionInline,)
    list_display = ("title", "skill", "starts_on", "seats", "service_point", "funding", "roll_link")
    list_filter = ("funding",)

    @admin.display(description=gettext_lazy("点名"))
    def roll_link(self, obj: Course) -> str:
        return format_html('<a href="{}">{}</a>', reverse("stations:course-roll", args=[obj.pk]), _("点名与结业"))


class CourseEnrolmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Trainees of the operator's courses; completion (培训合格) goes through enrolment_complete."""

    operator_actions = NO_DELETE  # a person-time or a seeker's own choice, as the markets' records

    site_field = "course__service_point"
    list_display = ("course", "seeker_label", "status", "completed_at")
    list_filter = ("status",)
    readonly_fields = ("course", "seeker", "status", "completed_at", "service_record")
    actions = ("mark_completed",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    @admin.display(description="求职者")
    def seeker_label(self, obj: CourseEnrolment) -> str:
        return mask_name(obj.seeker.name)

    @admin.action(description=gettext_lazy("记录培训合格（结业）"))
    def mark_completed(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for enrolment in queryset:
            try:
                enrolment_complete(enrolment=enrolment, actor=request.user)  # type: ignore[arg-type]
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("已记录 %(n)d 人结业。") % {"n": done}, messages.SUCCESS)


admin.site.register(Course, CourseAdmin)
admin.site.register(CourseEnrolment, CourseEnrolmentAdmin)


class ConsultationBookingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Bookings of the operator's station (to record them as consultations); names masked."""

    operator_actions = NO_DELETE  # a person-time or a seeker's own choice, as the markets' records

    site_field = "slot__station"
    list_display = ("slot", "seeker_label", "status", "reminded_at")
    list_filter = ("status",)
    readonly_fields = ("slot", "seeker", "status", "cancelled_at", "reminded_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    @admin.display(description="求职者")
    def seeker_label(self, obj: ConsultationBooking) -> str:
        return mask_name(obj.seeker.name)


admin.site.register(ConsultationBooking, ConsultationBookingAdmin)


# --- recruitment events at a station --------------------------------------------------------


class StationEventForm(forms.ModelForm):
    class Meta:
        model = StationEvent
        fields = (
            "station",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "description",
            "employers",
            "postings",
            "capacity",
            "status",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is not None and ends is not None:
            if self.instance.pk is None:
                event_check(starts_at=starts, ends_at=ends)
            elif ends <= starts:
                self.add_error("ends_at", _("结束时间要晚于开始时间。"))
        return data


class StationEventSignupInline(ParentScopedInlineMixin, admin.TabularInline):
    """Who signed up (names masked); attendance is marked on the event's attendance page."""

    model = StationEventSignup
    extra = 0
    fields = ("seeker_label", "status", "attended_at")
    readonly_fields = ("seeker_label", "status", "attended_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="求职者")
    def seeker_label(self, obj: StationEventSignup) -> str:
        return mask_name(obj.seeker.name)


class StationEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """宣讲会 and 小型招聘会 of the operator's station; each kept in step with its core.SiteEvent
    (the KPI 举办招聘活动). Cancelled, not deleted: it then counts nowhere."""

    operator_actions = NO_DELETE
    site_field = "station"
    form = StationEventForm
    list_display = ("title", "kind", "starts_at", "station", "status", "attendance_link")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    autocomplete_fields = ("employers", "postings")
    inlines = (StationEventSignupInline,)

    @admin.display(description=gettext_lazy("到场"))
    def attendance_link(self, obj: StationEvent) -> str:
        return format_html('<a href="{}">{}</a>', reverse("stations:event-attendance", args=[obj.pk]), _("登记到场"))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        event_sync(event=form.instance)  # after the employers and postings are saved


admin.site.register(StationEvent, StationEventAdmin)


# --- startup incubation -----------------------------------------------------------------------


class ProjectFounderInline(ParentScopedInlineMixin, admin.TabularInline):
    model = ProjectFounder
    extra = 1
    autocomplete_fields = ("seeker",)
    fields = ("seeker", "role")


class ProjectMilestoneInline(ParentScopedInlineMixin, admin.TabularInline):
    model = ProjectMilestone
    extra = 1
    fields = ("title", "due_on", "done_on")


class ProjectServiceInline(ParentScopedInlineMixin, admin.TabularInline):
    """Services given: added here, recorded by project_service_record (a person-time per founder);
    a recorded service is not edited or deleted (it is what the KPI counts)."""

    model = ProjectService
    extra = 1
    fields = ("kind", "served_on", "note")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # existing rows shown read-only; new rows may still be added

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StartupProjectAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The station's incubated projects: founders, stage, mentor, milestones, services given."""

    operator_actions = NO_DELETE
    site_field = "station"
    list_display = ("name", "stage", "status", "mentor", "station", "showcase")
    list_filter = ("stage", "status", "showcase")
    search_fields = ("name",)
    fields = ("station", "name", "summary", "stage", "mentor", "status", "showcase", "showcase_text")
    inlines = (ProjectFounderInline, ProjectMilestoneInline, ProjectServiceInline)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not ProjectService:
            super().save_formset(request, form, formset, change)
            return
        # New services go through the service (person-times); existing ones are never rewritten.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for f in formset.forms:
            if f.instance.pk is None and f.has_changed() and f.is_valid() and f.cleaned_data:
                try:
                    service = project_service_record(
                        project=form.instance,
                        kind=f.cleaned_data["kind"],
                        served_on=f.cleaned_data["served_on"],
                        note=f.cleaned_data.get("note", ""),
                        actor=request.user,  # type: ignore[arg-type]
                    )
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)
                else:
                    formset.new_objects.append(service)


admin.site.register(StartupProject, StartupProjectAdmin)
