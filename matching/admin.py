"""The operators' match pipeline: recommended seekers per posting, moved along with services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from xiangtan_jobs.core.admin import SiteListFilter
from xiangtan_jobs.core.admin_scope import CHANGE, VIEW, ScopedAdminMixin
from xiangtan_jobs.core.auth import acting_user
from xiangtan_jobs.core.models import AccessLog

from .enums import MatchStatus
from .models import Match
from .presenters import reasons_in_words
from .selectors import match_contact_visible
from .services import match_allowed_statuses, match_set_status, matches_fill_reasons


class InterviewForm(forms.Form):
    """The interview's time and place, told to the seeker (both may be left empty)."""

    interview_at = forms.DateTimeField(
        label="面试时间",
        required=False,
        help_text="例如 2025-02-10 09:30；留空表示稍后电话告知",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    interview_place = forms.CharField(label="面试地点", required=False, max_length=200)

    def clean_interview_at(self) -> Any:
        value = self.cleaned_data.get("interview_at")
        if value is not None and value < timezone.now():
            raise ValidationError("面试时间已经过去了，请填以后的时间，或留空")
        return value


def _status_action(status: MatchStatus) -> Any:
    @admin.action(description=f"改为「{status.label}」", permissions=("change",))
    def action(modeladmin: MatchAdmin, request: HttpRequest, queryset: QuerySet[Match]) -> None:
        modeladmin.move(request, queryset, status)

    action.__name__ = f"to_{status.value}"
    return action


class MatchHistoryHelper(HistoricalRecordContextHelper):
    """A match's recorded changes in words: the status's label, the score as a whole number."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        if change.field == "status" and value in MatchStatus.values:
            return str(MatchStatus(value).label)
        if change.field == "score" and isinstance(value, int | float):
            return str(round(value))
        if value is None:
            return "—"
        return super().prepare_delta_change_value(change, value)


@admin.register(Match)
class MatchAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Matches of the operator's postings; status changes only through ``match_set_status``."""

    site_field = "posting__service_point"
    # Matches come from the engine or the seeker's application; operators move them, never add.
    operator_actions = frozenset({VIEW, CHANGE})
    list_display = (
        "posting",
        "applicant_masked",
        "score_display",
        "reasons_display",
        "status",
        "status_changed_at",
        "status_changed_by",
    )
    list_filter = ("status", "is_current", SiteListFilter)
    list_select_related = ("posting", "seeker", "status_changed_by")
    # The invitation action says what it does (and the seeker's contact stays hidden until they apply).
    search_fields = ("posting__title", "=posting__external_ref")
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = (
        "posting",
        "applicant_contact",
        "applicant_masked",
        "score",
        "reasons_display",
        "status",
        "next_statuses",
        "applied_at",
        "invited_at",
        "interview_at",
        "interview_place",
        "is_current",
        "status_changed_at",
        "status_changed_by",
        "notified_at",
    )
    actions = (
        _status_action(MatchStatus.INVITED),
        _status_action(MatchStatus.CONTACTED),
        "to_interview",
        _status_action(MatchStatus.INTENTION),
        _status_action(MatchStatus.HIRED),
        _status_action(MatchStatus.DECLINED),
    )
    # The history reads like the rest of the page: statuses in words, whole-number scores, and
    # "—" where nobody (the engine) made the change; times are Django's, in local time.
    object_history_list_template = "admin/matching/match/object_history_list.html"
    history_list_display = ("status_words", "changed_by_words")

    def status_words(self, record: Any) -> str:
        return str(MatchStatus(record.status).label) if record.status in MatchStatus.values else record.status

    def changed_by_words(self, record: Any) -> str:
        return str(record.status_changed_by) if record.status_changed_by_id else "—"

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any) -> Any:
        return MatchHistoryHelper(self.model, historical_record)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # Apply = consent to be contacted: only the posting's site sees who applied, and only then.
        visible = obj is not None and match_contact_visible(match=obj, user=request.user)
        drop = "applicant_masked" if visible else "applicant_contact"
        return [f for f in self.readonly_fields if f != drop]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200:
            match = response.context_data.get("original") if hasattr(response, "context_data") else None
            if match is not None and match_contact_visible(match=match, user=request.user):
                # PIPL accountability: every look at an applicant's contact is on record.
                AccessLog.objects.create(
                    user=acting_user(request), seeker=match.seeker, action="view_contact", path=request.path[:200]
                )
        return response

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        # A past version's page shows the contact like the match's own page: on record too.
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "GET" and getattr(response, "status_code", None) == 200:
            match = self.get_object(request, object_id)
            if match is not None and match_contact_visible(match=match, user=request.user):
                AccessLog.objects.create(
                    user=acting_user(request), seeker=match.seeker, action="view_history", path=request.path[:200]
                )
        return response

    @admin.display(description="求职者")
    def applicant_masked(self, obj: Match) -> str:
        seeker = obj.seeker
        return f"{seeker.masked_name} {seeker.masked_phone}"

    @admin.display(description="求职者（已申请，同意联系）")
    def applicant_contact(self, obj: Match) -> str:
        seeker = obj.seeker
        return format_html(
            '<strong>{}</strong> <a class="tel" href="tel:{}">{}</a> <span class="help">{} 年生 · {}</span>',
            seeker.name,
            seeker.phone,
            seeker.phone,
            seeker.birth_year,
            seeker.area.name,
        )

    @admin.action(description="改为「面试中」（填时间和地点）", permissions=("change",))
    def to_interview(self, request: HttpRequest, queryset: QuerySet[Match]) -> HttpResponse | None:
        form = InterviewForm(request.POST if "interview_form" in request.POST else None)
        if form.is_valid():
            self.move(
                request,
                queryset,
                MatchStatus.INTERVIEW,
                interview_at=form.cleaned_data.get("interview_at"),
                interview_place=form.cleaned_data.get("interview_place") or "",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "安排面试",
            "opts": self.opts,
            "form": form,
            "queryset": queryset.select_related("posting"),
            "action": "to_interview",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/matching/match/interview.html", context)

    @admin.display(description="匹配分", ordering="score")
    def score_display(self, obj: Match) -> str:
        return f"{obj.score:.0f}"

    @admin.display(description="匹配理由")
    def reasons_display(self, obj: Match) -> str:
        return "；".join(reasons_in_words(obj.reasons)) or "-"

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        """The page's matches explained in one pass where a full rematch left their reasons empty."""
        changelist = super().get_changelist_instance(request)
        matches_fill_reasons(list(changelist.result_list))
        return changelist

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Match | None:
        match = super().get_object(request, object_id, from_field)
        if match is not None:
            matches_fill_reasons([match])
        return match

    @admin.display(description="可以改为")
    def next_statuses(self, obj: Match) -> str:
        return "、".join(str(MatchStatus(s).label) for s in match_allowed_statuses(match=obj)) or "-"

    def move(self, request: HttpRequest, queryset: QuerySet[Match], status: MatchStatus, **details: Any) -> None:
        done, failed = 0, []
        for match in queryset:
            try:
                match_set_status(match=match, status=status, actor=acting_user(request), **details)
                done += 1
            except ValidationError as exc:
                failed.append("；".join(exc.messages))
        if done:
            self.message_user(request, f"已改为「{status.label}」：{done} 条", messages.SUCCESS)
        for msg in sorted(set(failed)):
            self.message_user(request, msg, messages.WARNING)
