"""Admin of job fairs: a fair belongs to its organiser (a service point, or the bureau for
city-wide fairs, which superusers keep); the hosting site's operators register its exhibitors
and their posts and read its sign-ups (phones masked), check-ins and results."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.core.admin_scope import ADD, CHANGE, VIEW, ParentScopedInlineMixin, ScopedAdminMixin

from .enums import InvitationStatus
from .models import BoothOutcome, Exhibitor, FairInvitation, FairInvitationEvent, FairSession, FairSignup, JobFair
from .selectors import fair_results, fair_staff_may_check_in
from .services import (
    fair_events_sync,
    fair_invite_recommended,
    fair_snapshot,
    fair_tell_changes,
    invitation_allowed,
    invitation_set_status,
)

# The fair itself and its days are the organiser's announcement: the bureau's own fairs and the
# schedule are kept by superusers; the hosting site's operators look.
OPERATOR_VIEW_ONLY = frozenset({VIEW})
# Exhibitors are the site's daily work before a fair: register, change booth and posts (no delete:
# the results count them).
OPERATOR_EXHIBITORS = frozenset({VIEW, ADD, CHANGE})


def _no_show(percent: int | None) -> str:
    return "—" if percent is None else f"{percent}%"


class FairSessionInline(ParentScopedInlineMixin, admin.TabularInline):
    model = FairSession
    extra = 0
    exclude = ("site_event",)


@admin.register(JobFair)
class JobFairAdmin(ScopedAdminMixin, admin.ModelAdmin):
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("title", "series", "starts_on", "ends_on", "venue", "service_point", "status")
    list_filter = ("series", "status")
    list_select_related = ("service_point",)
    search_fields = ("title", "venue")
    autocomplete_fields = ("area",)
    inlines = [FairSessionInline]
    readonly_fields = ("results",)
    actions = ("invite_recommended",)

    @admin.action(description=_("邀请推荐了本场岗位的求职者（站内信和短信）"))
    def invite_recommended(self, request: HttpRequest, queryset: QuerySet[JobFair]) -> None:
        for fair in queryset:
            if not fair_staff_may_check_in(fair=fair, request=request):
                self.message_user(request, _("「%(t)s」不是您承办的招聘会。") % {"t": fair.title}, messages.ERROR)
                continue
            try:
                n = fair_invite_recommended(fair=fair, actor=request.user)  # type: ignore[arg-type]
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(request, _("「%(t)s」：已邀请 %(n)d 人。") % {"t": fair.title, "n": n})

    @admin.display(description=_("报名、签到和成果"))
    def results(self, obj: JobFair) -> str:
        if obj.pk is None:
            return "-"
        days, exhibitors = fair_results(fair=obj)
        day_rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((d.session.date, d.signed_up, d.checked_in, _no_show(d.no_show_percent)) for d in days),
        )
        exhibitor_rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.exhibitor.booth or "-",
                    r.exhibitor.employer.name,
                    r.posts,
                    r.positions,
                    r.met,
                    r.intentions,
                    r.hires,
                )
                for r in exhibitors
            ),
        )
        return format_html(
            '<table class="fair-results"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>'
            '<table class="fair-results"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table><p><a href="/fairs/{}/results/">{}</a></p>',
            _("每天"),
            _("日期"),
            _("报名"),
            _("签到"),
            _("未到"),
            day_rows,
            _("参会单位"),
            _("展位"),
            _("单位"),
            _("岗位"),
            _("招聘人数"),
            _("洽谈人数"),
            _("达成意向"),
            _("录用"),
            exhibitor_rows,
            obj.pk,
            _("按群体、区县看成果，导出 Excel / CSV"),
        )

    def save_model(self, request: HttpRequest, obj: JobFair, form: Any, change: bool) -> None:
        # What the signed-up relied on, to tell them what changed once the days are saved too.
        request._fair_before = fair_snapshot(fair_id=obj.pk) if change else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Each day of a site's fair is an event held at that site (docs/kpis.md).
        fair_events_sync(fair=form.instance)
        told = fair_tell_changes(fair=form.instance, before=getattr(request, "_fair_before", None))
        if told:
            self.message_user(request, _("已通知 %(n)d 位报名的求职者（站内信和短信）。") % {"n": told})


@admin.register(FairSession)
class FairSessionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    site_field = "fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("fair", "date", "starts_at", "ends_at", "capacity")
    list_select_related = ("fair",)
    search_fields = ("fair__title",)
    exclude = ("site_event",)


@admin.register(Exhibitor)
class ExhibitorAdmin(ScopedAdminMixin, admin.ModelAdmin):
    site_field = "fair__service_point"
    operator_actions = OPERATOR_EXHIBITORS
    list_display = ("fair", "booth", "employer", "post_count")
    list_filter = ("fair",)
    list_select_related = ("fair", "employer")
    search_fields = ("employer__name", "booth", "fair__title")
    raw_id_fields = ("employer", "postings")

    @admin.display(description=_("岗位数"))
    def post_count(self, obj: Exhibitor) -> int:
        return obj.postings.count()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        fair_events_sync(fair=form.instance.fair)


@admin.register(FairSignup)
class FairSignupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Sign-ups and check-ins, read-only (they change through the seeker's page and the door)."""

    site_field = "session__fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("session", "seeker_masked", "phone_masked", "status", "checked_in_at")
    list_filter = ("status", "session__fair")
    list_select_related = ("session__fair", "seeker")
    search_fields = ("seeker__phone_last4", "code")
    search_help_text = _("输入手机号后 4 位或入场码查找")
    fields = ("session", "seeker_masked", "phone_masked", "status", "created_at", "cancelled_at", "checked_in_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("求职者"))
    def seeker_masked(self, obj: FairSignup) -> str:
        return obj.seeker.masked_name

    @admin.display(description=_("手机号"))
    def phone_masked(self, obj: FairSignup) -> str:
        return obj.seeker.masked_phone


class FairInvitationEventInline(ParentScopedInlineMixin, admin.TabularInline):
    model = FairInvitationEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "actor")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _move_action(status: str, label: Any) -> Any:
    def action(modeladmin: FairInvitationAdmin, request: HttpRequest, queryset: QuerySet[FairInvitation]) -> None:
        moved = refused = 0
        for invitation in queryset.select_related("fair"):
            if not fair_staff_may_check_in(fair=invitation.fair, request=request):
                refused += 1
                continue
            try:
                invitation_set_status(invitation=invitation, status=status, actor=request.user)  # type: ignore[arg-type]
            except ValidationError:
                refused += 1
            else:
                moved += 1
        modeladmin.message_user(
            request,
            _("已改为「%(s)s」：%(n)d 条；不能这样改的：%(r)d 条。") % {"s": label, "n": moved, "r": refused},
            messages.SUCCESS if moved else messages.WARNING,
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=_("改为「%(s)s」") % {"s": label})(action)


@admin.register(FairInvitation)
class FairInvitationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Invitations and their answers; every change of status through an action, logged below."""

    site_field = "fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("fair", "seeker_masked", "phone_masked", "status", "next_steps", "created_at")
    list_filter = ("status", "fair")
    list_select_related = ("fair", "seeker")
    search_fields = ("seeker__phone_last4",)
    search_help_text = _("输入手机号后 4 位查找")
    fields = ("fair", "seeker_masked", "phone_masked", "status", "invited_by", "created_at")
    readonly_fields = fields
    inlines = [FairInvitationEventInline]
    actions = [_move_action(s.value, s.label) for s in InvitationStatus]
    show_full_result_count = False

    @admin.display(description=_("求职者"))
    def seeker_masked(self, obj: FairInvitation) -> str:
        return obj.seeker.masked_name

    @admin.display(description=_("手机号"))
    def phone_masked(self, obj: FairInvitation) -> str:
        return obj.seeker.masked_phone

    @admin.display(description=_("可以改为"))
    def next_steps(self, obj: FairInvitation) -> str:
        return "、".join(str(InvitationStatus(s).label) for s in invitation_allowed(invitation=obj))


@admin.register(BoothOutcome)
class BoothOutcomeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """What came of the talks at the booths, read-only: recorded on the booth page, where a
    record is also changed or taken back (each change kept in its history)."""

    site_field = "exhibitor__fair__service_point"
    operator_actions = OPERATOR_VIEW_ONLY
    list_display = ("exhibitor", "seeker_masked", "posting", "result", "met_at", "recorded_by")
    list_filter = ("result", "exhibitor__fair")
    list_select_related = ("exhibitor__fair", "exhibitor__employer", "signup__seeker", "posting", "recorded_by")
    search_fields = ("signup__seeker__phone_last4", "signup__code", "exhibitor__employer__name")
    search_help_text = _("输入手机号后 4 位、入场码或单位名称查找")
    fields = ("exhibitor", "seeker_masked", "posting", "result", "met_at", "recorded_by", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("求职者"))
    def seeker_masked(self, obj: BoothOutcome) -> str:
        return obj.signup.seeker.masked_name
