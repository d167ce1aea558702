"""Admin of gig markets: the operators' daily tool for their own market (day gigs, gig orders,
check-ins, wage settlement, insurance, rights cases); the bureau sees all, superusers manage."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from openpyxl import Workbook

from xiangtan_jobs.common.parsing import parse_int
from xiangtan_jobs.common.spreadsheet import neutralise_row
from xiangtan_jobs.core.admin import ServicePointAdminBase
from xiangtan_jobs.core.admin_scope import (
    NO_DELETE,
    VIEW,
    ScopedAdminMixin,
    StaffRole,
    operator_site_ids,
    scoped_queryset,
    staff_role,
)
from xiangtan_jobs.core.auth import acting_user

from . import services
from .enums import PaymentMethod, RightsCaseStatus, SettlementStatus
from .models import (
    DayGig,
    GigAssignment,
    GigMarket,
    GigPost,
    InsuranceEnrolment,
    MarketCheckIn,
    RightsCase,
    UnpaidWageEmployer,
    WageSettlement,
)
from .selectors import (
    INSURANCE_EXPORT_HEADERS,
    day_gig_candidates,
    employer_unpaid_flag,
    employers_unpaid,
    insurance_export_rows,
    settlements_overdue,
)

# The market's records are corrected by the services' actions, never deleted: the KPIs count them.


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


@admin.register(GigPost)
class GigPostAdmin(ServicePointAdminBase):
    """Gig posts (零工驿站): the market's operators see their market's posts and print each post's
    own check-in poster; superusers add and change them."""

    site_field = "market"
    list_display = ("name", "market", "area", "host_name", "status", "is_demo", "poster")  # type: ignore[assignment]  # columns of its own
    list_filter = ("status", "is_demo")  # type: ignore[assignment]  # no kind: all are posts
    list_select_related = ("area", "market")  # type: ignore[assignment]  # and the market
    autocomplete_fields = ("area", "market")  # type: ignore[assignment]  # and the market

    @admin.display(description="签到海报")
    def poster(self, obj: GigPost) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">签到海报</a>', reverse("markets:gigpost-poster", args=[obj.pk])
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
    unpaid_acknowledged = forms.BooleanField(
        label="已知欠薪，仍要登记",
        required=False,
        help_text="用工单位有逾期未付的零工工资时，要先看到欠薪情况、勾选这一项才能登记新订单",
    )

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
            unpaid_acknowledged=bool(data.get("unpaid_acknowledged")),
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

    operator_actions = NO_DELETE

    site_field = "market"
    form = DayGigForm
    list_display = (
        *("work_date", "starts_at", "posting", "market", "headcount", "left", "day_wage", "status"),
        *("assign_link", "poster"),
    )
    list_filter = ("work_date", "status")
    list_select_related = ("posting", "market")
    search_fields = ("posting__title", "posting__employer__name")
    autocomplete_fields = ("posting",)
    date_hierarchy = None
    ordering = ("-work_date", "starts_at")
    actions = ("cancel",)
    inlines = [AssignmentInline]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return [
            *("market", "posting", "work_date", "starts_at", "place", "headcount", "day_wage", "status"),
            "assign_link",
        ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        return fields if obj is None else [*[f for f in fields if f != "assign_link"], "assign_link"]

    @admin.display(description="派工")
    def assign_link(self, obj: DayGig) -> str:
        """The gig order's candidates (applicants, recommendations), one tap each."""
        url = reverse("admin:markets_daygig_assign", args=[obj.pk])
        return format_html('<a href="{}">派工（还差 {} 人）</a>', url, services.day_gig_left(obj))

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<path:object_id>/assign/",
                self.admin_site.admin_view(self.assign_view),
                name="markets_daygig_assign",
            )
        ]
        return own + super().get_urls()

    def assign_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Fill a gig order from its online applicants and the posting's recommendations (the
        source follows from the candidate, never from the form); walk-ins and the board through
        the add form, with the order chosen."""
        gig = self.get_object(request, object_id)  # another market's order: 404
        if not self.has_view_permission(request, gig):
            raise PermissionDenied
        here = reverse("admin:markets_daygig_assign", args=[gig.pk])
        if request.method == "POST":
            if not self.has_change_permission(request, gig):
                raise PermissionDenied
            seeker_id = parse_int(request.POST.get("seeker"))
            chosen = next((c for c in day_gig_candidates(day_gig=gig) if c.seeker.pk == seeker_id), None)
            if chosen is None:
                self.message_user(request, "这位求职者不在这个订单的候选名单里（可能已经派工）。", messages.ERROR)
                return HttpResponseRedirect(here)
            try:
                services.gig_assign(day_gig=gig, seeker=chosen.seeker, source=chosen.source, actor=acting_user(request))
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request, f"已派工：{chosen.seeker.masked_name}，已发站内信和短信通知。", messages.SUCCESS
                )
            return HttpResponseRedirect(here)
        context = {
            **self.admin_site.each_context(request),
            "title": f"派工：{gig}",
            "opts": self.model._meta,
            "gig": gig,
            "left": services.day_gig_left(gig),
            "candidates": day_gig_candidates(day_gig=gig),
            "flag": employer_unpaid_flag(employer_id=gig.posting.employer_id),
            "may_assign": self.has_change_permission(request, gig),
            "add_url": reverse("admin:markets_gigassignment_add") + f"?day_gig={gig.pk}",
        }
        return TemplateResponse(request, "admin/markets/daygig_assign.html", context)

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

    @admin.display(description="海报")
    def poster(self, obj: DayGig) -> str:
        """The posting's A4 sheet for the market's notice wall (the way gig markets work today)."""
        url = reverse("posters:posting-poster", args=[obj.posting_id])
        return format_html('<a href="{}" target="_blank" rel="noopener">打印</a>', url)

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
            unpaid_acknowledged=bool(data.get("unpaid_acknowledged")),
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

    operator_actions = NO_DELETE

    site_field = "day_gig__market"
    form = GigAssignmentForm
    list_display = ("day_gig", "worker", "source", "status", "agreed_wage", "created_at")
    list_filter = ("status", "source", "day_gig__work_date")
    list_select_related = ("day_gig__posting", "seeker")
    autocomplete_fields = ("day_gig", "seeker")
    search_fields = ("day_gig__posting__title",)
    actions = ("mark_done", "mark_no_show")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.get_fields(request, obj))

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


def _worker(a: GigAssignment) -> str:
    return f"{a.seeker.masked_name} {a.seeker.masked_phone}"


def _report(admin_: admin.ModelAdmin[Any], request: HttpRequest, done: int, label: str, failed: list[str]) -> None:
    if done:
        admin_.message_user(request, f"{label}：{done} 条", messages.SUCCESS)
    for msg in failed:
        admin_.message_user(request, msg, messages.WARNING)


class FollowUpFilter(admin.SimpleListFilter):
    """The operators' follow-up list: wages still unpaid the day after the agreed date."""

    title = "跟进"
    parameter_name = "follow_up"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("overdue", "逾期未付（待跟进）")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "overdue":
            return queryset.filter(pk__in=settlements_overdue().values("pk"))
        return queryset


class SettlementForm(_ServiceChecked, forms.ModelForm):
    class Meta:
        model = WageSettlement
        fields = ("assignment", "due_on")

    def _service_check(self, data: dict[str, Any]) -> None:
        services.settlement_open_check(assignment=data["assignment"], due_on=data["due_on"])


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label="本次支付金额(元)",
        max_digits=10,
        decimal_places=2,
        min_value=0,
        error_messages={"invalid": "请填写金额，如 200 或 200.50", "required": "请填写金额"},
    )
    method = forms.ChoiceField(label="支付方式", choices=PaymentMethod.choices)
    over_reason = forms.CharField(label="超出约定的原因（超出时必填）", max_length=200, required=False)


class RightsCloseForm(forms.Form):
    outcome = forms.CharField(label="处理结果", max_length=200, error_messages={"required": "请写明处理结果"})


@admin.register(WageSettlement)
class WageSettlementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Wage settlement (voluntary): agreed, paid, when and how; overdue ones to follow up."""

    operator_actions = NO_DELETE

    site_field = "assignment__day_gig__market"
    form = SettlementForm
    list_display = ("work_day", "gig", "worker", "agreed_amount", "paid_amount", "due_on", "status", "overdue")
    list_filter = (FollowUpFilter, "status", "due_on")
    search_fields = ("assignment__day_gig__posting__employer__name",)
    search_help_text = "按用工单位名称查找"
    list_select_related = ("assignment__day_gig__posting__employer", "assignment__seeker")
    autocomplete_fields = ("assignment",)
    actions = ("record_payment", "open_rights_case")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["assignment", "due_on"]
        return [
            *("gig", "worker", "agreed_amount", "due_on", "paid_amount"),
            *("paid_at", "method", "over_reason", "status", "dispute"),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.get_fields(request, obj))

    @admin.display(description="用工日期")
    def work_day(self, obj: WageSettlement) -> Any:
        return obj.assignment.day_gig.work_date

    @admin.display(description="零工订单")
    def gig(self, obj: WageSettlement) -> str:
        posting = obj.assignment.day_gig.posting
        return f"{posting.title}（{posting.employer.name}）"

    @admin.display(description="零工")
    def worker(self, obj: WageSettlement) -> str:
        return _worker(obj.assignment)

    @admin.display(description="逾期", boolean=True)
    def overdue(self, obj: WageSettlement) -> bool:
        return obj.status != SettlementStatus.PAID and obj.due_on < timezone.localdate()

    def save_model(self, request: HttpRequest, obj: WageSettlement, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        actor = acting_user(request)
        created = services.settlement_open(assignment=data["assignment"], due_on=data["due_on"], actor=actor)
        obj.pk = created.pk

    @admin.action(description="登记支付", permissions=("change",))
    def record_payment(self, request: HttpRequest, queryset: QuerySet[WageSettlement]) -> HttpResponse | None:
        form = PaymentForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, failed = 0, []
            for st in queryset.select_related("assignment__seeker"):
                try:
                    services.settlement_pay(
                        settlement=st,
                        amount=form.cleaned_data["amount"],
                        method=form.cleaned_data["method"],
                        over_reason=form.cleaned_data["over_reason"],
                        actor=acting_user(request),
                    )
                    done += 1
                except ValidationError as exc:
                    failed.append(f"{_worker(st.assignment)}：{'；'.join(exc.messages)}")
            _report(self, request, done, "已登记支付", failed)
            return None
        return render(
            request,
            "admin/markets/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "登记支付",
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action": "record_payment",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="转维权咨询（自动填写情况）", permissions=("change",))
    def open_rights_case(self, request: HttpRequest, queryset: QuerySet[WageSettlement]) -> None:
        done, failed = 0, []
        for st in queryset.select_related("assignment__seeker"):
            try:
                services.rights_case_from_settlement(settlement=st, actor=acting_user(request))
                done += 1
            except ValidationError as exc:
                failed.append(f"{_worker(st.assignment)}：{'；'.join(exc.messages)}")
        _report(self, request, done, "已转维权咨询", failed)


@admin.register(UnpaidWageEmployer)
class UnpaidWageEmployerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Employers owing workers overdue wages, flagged to every market's operators (the figures only:
    who is owed stays with the market that settled the gig); each market opens rights cases for
    its own workers from here."""

    # Every market sees the flag (an employer unpaid at one market hires at the next); rows change only by services.
    site_field = None
    operator_actions = frozenset({VIEW})
    list_display = ("name", "credit_code", "unpaid_workers", "owed", "oldest_due", "follow_up")
    search_fields = ("name", "credit_code")
    actions = ("open_rights_cases",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope_queryset(request, employers_unpaid())

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="欠薪人数")
    def unpaid_workers(self, obj: Any) -> int:
        return int(obj.unpaid_workers)

    @admin.display(description="欠薪金额(元)")
    def owed(self, obj: Any) -> Decimal:
        # SQLite sums decimals as numbers: money is shown with its two decimals either way.
        return Decimal(str(obj.owed)).quantize(Decimal("0.01"))

    @admin.display(description="最早应付日期")
    def oldest_due(self, obj: Any) -> Any:
        return obj.oldest_due

    @admin.display(description="跟进")
    def follow_up(self, obj: Any) -> str:
        url = (
            reverse("admin:markets_wagesettlement_changelist")
            + "?"
            + urlencode({"follow_up": "overdue", "q": obj.name})
        )
        return format_html('<a href="{}">逾期未付的结算</a>', url)

    @admin.action(description="转维权咨询（本市场的欠薪零工，自动填写情况）", permissions=("view",))
    def open_rights_cases(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        role = staff_role(request.user)
        if role not in (StaffRole.OPERATOR, StaffRole.SUPERUSER):
            raise PermissionDenied  # the bureau reads
        owed = scoped_queryset(
            request,
            settlements_overdue().filter(assignment__day_gig__posting__employer__in=queryset.values("pk")),
            site_field="assignment__day_gig__market",
        ).select_related("assignment__seeker")
        done, failed = 0, []
        for st in owed:
            try:
                services.rights_case_from_settlement(settlement=st, actor=acting_user(request))
                done += 1
            except ValidationError as exc:
                failed.append(f"{_worker(st.assignment)}：{'；'.join(exc.messages)}")
        if not done and not failed:
            self.message_user(request, "本市场没有这些单位的逾期未付工资。", messages.INFO)
        _report(self, request, done, "已转维权咨询", failed)


class RightsCaseForm(forms.ModelForm):
    class Meta:
        model = RightsCase
        fields = ("market", "seeker", "employer", "facts")


@admin.register(RightsCase)
class RightsCaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Rights consultations (维权咨询), each followed until closed."""

    operator_actions = NO_DELETE

    site_field = "market"
    form = RightsCaseForm
    list_display = ("created_at", "person", "employer", "status", "closed_at")
    list_filter = ("status",)
    list_select_related = ("seeker", "employer")
    autocomplete_fields = ("seeker", "employer")
    actions = ("mark_in_progress", "close_case")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["market", "seeker", "employer", "facts"]
        return ["market", "person", "employer", "settlement", "facts", "status", "outcome", "closed_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.get_fields(request, obj))

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        site_id = self.single_site_id(request)
        if site_id is not None:
            initial.setdefault("market", site_id)
        return initial

    @admin.display(description="求助人")
    def person(self, obj: RightsCase) -> str:
        return f"{obj.seeker.masked_name} {obj.seeker.masked_phone}"

    def save_model(self, request: HttpRequest, obj: RightsCase, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        created = services.rights_case_open(
            market=data["market"],
            seeker=data["seeker"],
            facts=data["facts"],
            employer_id=data["employer"].pk if data.get("employer") else None,
            actor=acting_user(request),
        )
        obj.pk = created.pk

    def _move(self, request: HttpRequest, queryset: QuerySet[RightsCase], status: str, outcome: str = "") -> None:
        done, failed = 0, []
        for case in queryset.select_related("seeker"):
            try:
                services.rights_case_set_status(case=case, status=status, outcome=outcome, actor=acting_user(request))
                done += 1
            except ValidationError as exc:
                failed.append(f"{case.seeker.masked_name}：{'；'.join(exc.messages)}")
        _report(self, request, done, str(RightsCaseStatus(status).label), failed)

    @admin.action(description="标为处理中", permissions=("change",))
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet[RightsCase]) -> None:
        self._move(request, queryset, RightsCaseStatus.IN_PROGRESS)

    @admin.action(description="办结", permissions=("change",))
    def close_case(self, request: HttpRequest, queryset: QuerySet[RightsCase]) -> HttpResponse | None:
        form = RightsCloseForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._move(request, queryset, RightsCaseStatus.CLOSED, form.cleaned_data["outcome"])
            return None
        return render(
            request,
            "admin/markets/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "办结维权咨询",
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action": "close_case",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class InsuranceForm(_ServiceChecked, forms.ModelForm):
    class Meta:
        model = InsuranceEnrolment
        fields = ("assignment", "insurer", "policy_ref", "premium")

    def _service_check(self, data: dict[str, Any]) -> None:
        services.insurance_enrol_check(assignment=data["assignment"], insurer=data["insurer"], premium=data["premium"])


class InsuranceExportForm(forms.Form):
    fmt = forms.ChoiceField(
        label="格式", choices=[("xlsx", "Excel（.xlsx）"), ("csv", "CSV（Excel、WPS 可直接打开）")], initial="xlsx"
    )
    full = forms.BooleanField(
        label="含完整的姓名、手机号和身份证号（保险公司投保要用；每人记入个人信息访问记录）", required=False
    )


def _insurance_file(rows: list[list[Any]], fmt: str, day: str) -> HttpResponse:
    """The insurer's list as a file: CSV with a BOM (Excel reads it as UTF-8) or XLSX; cells made inert."""
    header = list(INSURANCE_EXPORT_HEADERS)
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="insurance-{day}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        for row in rows:
            writer.writerow(neutralise_row(str(v) for v in row))
        return response
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet  # nosec B101
    sheet.title = "参保名单"
    sheet.append(header)
    for row in rows:
        sheet.append(neutralise_row(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="insurance-{day}.xlsx"'
    return response


@admin.register(InsuranceEnrolment)
class InsuranceEnrolmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Day accident insurance (voluntary): who is insured for which gig day; the day's list to export."""

    operator_actions = NO_DELETE

    site_field = "assignment__day_gig__market"
    form = InsuranceForm
    list_display = ("work_day", "worker", "gig", "insurer", "policy_ref", "premium")
    list_filter = ("assignment__day_gig__work_date", "insurer")
    list_select_related = ("assignment__day_gig__posting__employer", "assignment__seeker")
    autocomplete_fields = ("assignment",)
    actions = ("export_list",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["assignment", "insurer", "policy_ref", "premium"]

    @admin.display(description="用工日期")
    def work_day(self, obj: InsuranceEnrolment) -> Any:
        return obj.assignment.day_gig.work_date

    @admin.display(description="零工")
    def worker(self, obj: InsuranceEnrolment) -> str:
        return _worker(obj.assignment)

    @admin.display(description="零工订单")
    def gig(self, obj: InsuranceEnrolment) -> str:
        return str(obj.assignment.day_gig.posting.title)

    def save_model(self, request: HttpRequest, obj: InsuranceEnrolment, form: Any, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        created = services.insurance_enrol(
            assignment=data["assignment"],
            insurer=data["insurer"],
            policy_ref=data.get("policy_ref", ""),
            premium=data["premium"],
            actor=acting_user(request),
        )
        obj.pk = created.pk

    @admin.action(description="导出参保名单（发保险公司，Excel 或 CSV）", permissions=("view",))
    def export_list(self, request: HttpRequest, queryset: QuerySet[InsuranceEnrolment]) -> HttpResponse:
        """The selected (usually: the day's) insured workers for the insurer. Masked unless the
        exporter asks for the full list and may see it: the gig's own market's operators (and
        superusers); the bureau's copy stays masked. Every full row is in the access log."""
        role = staff_role(request.user)
        may_full = role in (StaffRole.OPERATOR, StaffRole.SUPERUSER)
        form = InsuranceExportForm(request.POST if "apply" in request.POST else None)
        if not may_full:
            del form.fields["full"]
        if "apply" in request.POST and form.is_valid():
            full = may_full and bool(form.cleaned_data.get("full"))
            sites: frozenset[int] | None = frozenset()
            if full:
                sites = None if role is StaffRole.SUPERUSER else operator_site_ids(request)
            rows = insurance_export_rows(queryset, full_sites=sites)
            day = rows[0][2][0] if rows else timezone.localdate().isoformat()
            fmt = form.cleaned_data["fmt"]
            services.insurance_export_logged(
                actor=acting_user(request),
                seekers=[e.assignment.seeker for e, shown, _r in rows if shown],
                rows=len(rows),
                what=f"markets.InsuranceEnrolment 参保名单 {day} {fmt.upper()} {'完整' if full else '脱敏'}",
                request=request,
            )
            return _insurance_file([r for _e, _s, r in rows], fmt, str(day))
        return render(
            request,
            "admin/markets/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": "导出参保名单",
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action": "export_list",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
