"""Admin of youth stations: superusers manage them, operators see their own, the bureau all."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from xiangtan_jobs.core.admin import ServicePointAdminBase
from xiangtan_jobs.core.admin_scope import ScopedAdminMixin

from .models import Consultation, ConsultationSlot, YouthStation
from .services import consultation_check, consultation_record, slot_check, slot_create


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
