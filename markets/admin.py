"""Admin of gig markets: the operators' daily tool for their own market (day gigs, gig orders,
check-ins, wage settlement, insurance, rights cases); the bureau sees all, superusers manage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from xiangtan_jobs.core.admin import ServicePointAdminBase
from xiangtan_jobs.core.admin_scope import VIEW, ScopedAdminMixin
from xiangtan_jobs.core.auth import acting_user

from . import services
from .models import DayGig, GigAssignment, GigMarket, MarketCheckIn


@admin.register(GigMarket)
class GigMarketAdmin(ServicePointAdminBase):
    list_display = ("name", "area", "focus", "phone", "status", "is_demo", "screens")  # type: ignore[assignment]  # one column more than the base's
    list_filter = ("focus", "status", "is_demo")

    @admin.display(description="大屏与海报")
    def screens(self, obj: GigMarket) -> str:
        """The hall's TV page, the door's QR poster and the phone board, each in a new tab."""
        link = '<a href="{}" target="_blank" rel="noopener">%s</a>'
        return format_html(
            " · ".join([link % "大屏", link % "签到海报", link % "今日零工"]),
            reverse("markets:gigmarket-screen", args=[obj.pk]),
            reverse("markets:gigmarket-poster", args=[obj.pk]),
            reverse("markets:gigmarket-today", args=[obj.pk]),
        )


class _ServiceChecked:
    """An admin add-form whose rules come from the service's own check (field errors, not a 500)."""

    check_names: tuple[str, ...] = ()

    def _service_check(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]  # mixed into a ModelForm
        if self.instance.pk is None and not self.errors:  # type: ignore[attr-defined]
            try:
                self._service_check(data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errs in exc.error_dict.items():
                        self.add_error(field if field in self.fields else None, errs)  # type: ignore[attr-defined]
                else:
                    self.add_error(None, exc)  # type: ignore[attr-defined]
        return data


class DayGigForm(_ServiceChecked, forms.ModelForm):
    class Meta:
        model = DayGig
        fields = ("market", "posting", "work_date", "starts_at", "place", "headcount", "day_wage")

    def _service_check(self, data: dict[str, Any]) -> None:
        services.day_gig_check(
            market=data["market"],
            posting=data["posting"],
            work_date=data["work_date"],
            starts_at=data["starts_at"],
            headcount=data["headcount"],
            day_wage=data["day_wage"],
        )

    def validate_unique(self) -> None:
        # The service says it in words (day_gig_check); the constraint is the database's backstop.
        pass


class AssignmentInline(admin.TabularInline):
    model = GigAssignment
    extra = 0
    can_delete = False
    fields = ("worker", "source", "status", "agreed_wage")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    @admin.display(description="零工")
    def worker(self, obj: GigAssignment) -> str:
        return f"{obj.seeker.masked_name} {obj.seeker.masked_phone}"


@admin.register(DayGig)
class DayGigAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Gig orders (零工订单): a day gig's date, start, place and headcount; its workers below."""

    site_field = "market"
    form = DayGigForm
    list_display = ("work_date", "starts_at", "posting", "market", "headcount", "left", "day_wage", "status")
    list_filter = ("work_date", "status")
    list_select_related = ("posting", "market")
    search_fields = ("posting__title", "posting__employer__name")
    autocomplete_fields = ("posting",)
    date_hierarchy = None
    ordering = ("-work_date", "starts_at")
    actions = ("cancel",)
    inlines = [AssignmentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["market", "posting", "work_date", "starts_at", "place", "headcount", "day_wage", "status"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        site_id = self.single_site_id(request)
        if site_id is not None:
            initial.setdefault("market", site_id)
        initial.setdefault("work_date", timezone.localdate())
        return initial

    @admin.display(description="还差")
    def left(self, obj: DayGig) -> int:
        return services.day_gig_left(obj)

    def save_model(self, request: HttpRequest, obj: DayGig, form: Any, change: bool) -> None:
        if change:
            return  # nothing editable once on the board; cancel it instead
        data = form.cleaned_data
        created = services.day_gig_create(
            market=data["market"],
            posting=data["posting"],
            work_date=data["work_date"],
            starts_at=data["starts_at"],
            headcount=data["headcount"],
            day_wage=data["day_wage"],
            place=data.get("place", ""),
            actor=acting_user(request),
        )
        obj.pk = created.pk

    @admin.action(description="取消零工订单", permissions=("change",))
    def cancel(self, request: HttpRequest, queryset: QuerySet[DayGig]) -> None:
        n = 0
        for gig in queryset:
            services.day_gig_cancel(day_gig=gig, actor=acting_user(request))
            n += 1
        self.message_user(request, f"已取消 {n} 个零工订单", messages.SUCCESS)


class GigAssignmentForm(_ServiceChecked, forms.ModelForm):
    agreed_wage = forms.DecimalField(
        label="约定工资(元)", max_digits=10, decimal_places=2, required=False, help_text="留空则按订单日薪"
    )

    class Meta:
        model = GigAssignment
        fields = ("day_gig", "seeker", "source", "agreed_wage")

    def _service_check(self, data: dict[str, Any]) -> None:
        services.gig_assign_check(
            day_gig=data["day_gig"], seeker=data["seeker"], source=data["source"], agreed_wage=data.get("agreed_wage")
        )

    def validate_unique(self) -> None:
        pass  # a released worker may be assigned again (the service reuses the row)


@admin.register(GigAssignment)
class GigAssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who works which day gig (派工): assigned under the headcount, then done or no-show."""

    site_field = "day_gig__market"
    form = GigAssignmentForm
    list_display = ("day_gig", "worker", "source", "status", "agreed_wage", "created_at")
    list_filter = ("status", "source", "day_gig__work_date")
    list_select_related = ("day_gig__posting", "seeker")
    autocomplete_fields = ("day_gig", "seeker")
    search_fields = ("day_gig__posting__title",)
    actions = ("mark_done", "mark_no_show")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["day_gig", "seeker", "source", "status", "agreed_wage", "finished_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["day_gig", "seeker", "source", "agreed_wage"]
        return ["day_gig", "worker", "source", "status", "agreed_wage", "finished_at"]

    @admin.display(description="零工")
    def worker(self, obj: GigAssignment) -> str:
        return f"{obj.seeker.masked_name} {obj.seeker.masked_phone}"

    def save_model(self, request: HttpRequest, obj: GigAssignment, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        if not self._allowed(request, "add", GigAssignment(day_gig=data["day_gig"])):
            raise PermissionDenied
        created = services.gig_assign(
            day_gig=data["day_gig"],
            seeker=data["seeker"],
            source=data["source"],
            agreed_wage=data.get("agreed_wage"),
            actor=acting_user(request),
        )
        obj.pk = created.pk

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:  # the last place taken by another operator meanwhile
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _finish(self, request: HttpRequest, queryset: QuerySet[GigAssignment], status: str, label: str) -> None:
        done, failed = 0, []
        for a in queryset.select_related("seeker"):
            try:
                services.gig_assignment_finish(assignment=a, status=status, actor=acting_user(request))
                done += 1
            except ValidationError as exc:
                failed.append(f"{a.seeker.masked_name}：{'；'.join(exc.messages)}")
        if done:
            self.message_user(request, f"{label}：{done} 人", messages.SUCCESS)
        for msg in failed:
            self.message_user(request, msg, messages.WARNING)

    @admin.action(description="登记完工", permissions=("change",))
    def mark_done(self, request: HttpRequest, queryset: QuerySet[GigAssignment]) -> None:
        self._finish(request, queryset, "done", "已登记完工")

    @admin.action(description="登记未到岗", permissions=("change",))
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[GigAssignment]) -> None:
        self._finish(request, queryset, "no_show", "已登记未到岗")


class ServedTodayFilter(admin.SimpleListFilter):
    title = "日期"
    parameter_name = "day"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("all", "全部日期")]

    def choices(self, changelist: Any) -> Any:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "今天",
        }
        yield {
            "selected": self.value() == "all",
            "query_string": changelist.get_query_string({self.parameter_name: "all"}),
            "display": "全部日期",
        }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "all":
            return queryset
        lo = dt.datetime.combine(timezone.localdate(), dt.time.min, tzinfo=timezone.get_current_timezone())
        return queryset.filter(served_at__gte=lo, served_at__lt=lo + dt.timedelta(days=1))


@admin.register(MarketCheckIn)
class MarketCheckInAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The day's check-ins and services at the operator's market (names and phones masked)."""

    operator_actions = frozenset({VIEW})
    list_display = ("served_at", "kind", "person", "phone", "note")
    list_filter = (ServedTodayFilter, "kind")
    list_select_related = ("seeker",)
    show_full_result_count = False
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(service_point__in=GigMarket.objects.values("pk"))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["served_at", "kind", "person", "phone", "note", "service_point"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)

    @admin.display(description="姓名")
    def person(self, obj: MarketCheckIn) -> str:
        return obj.seeker.masked_name if obj.seeker else "（未登记）"

    @admin.display(description="手机号")
    def phone(self, obj: MarketCheckIn) -> str:
        return obj.seeker.masked_phone if obj.seeker else "-"
