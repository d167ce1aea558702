"""The operators' match pipeline: recommended seekers per posting, moved along with services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from xiangtan_jobs.core.admin import SiteListFilter
from xiangtan_jobs.core.admin_scope import CHANGE, VIEW, ScopedAdminMixin

from .enums import MatchStatus
from .models import Match
from .presenters import reasons_in_words
from .services import match_allowed_statuses, match_set_status, matches_fill_reasons


def _status_action(status: MatchStatus) -> Any:
    @admin.action(description=f"改为「{status.label}」", permissions=("change",))
    def action(modeladmin: MatchAdmin, request: HttpRequest, queryset: QuerySet[Match]) -> None:
        modeladmin.move(request, queryset, status)

    action.__name__ = f"to_{status.value}"
    return action


@admin.register(Match)
class MatchAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Matches of the operator's postings; status changes only through ``match_set_status``."""

    site_field = "posting__service_point"
    # Matches come from the engine or the seeker's application; operators move them, never add.
    operator_actions = frozenset({VIEW, CHANGE})
    list_display = (
        "posting",
        "seeker",
        "score_display",
        "reasons_display",
        "status",
        "status_changed_at",
        "status_changed_by",
    )
    list_filter = ("status", "is_current", SiteListFilter)
    list_select_related = ("posting", "seeker", "status_changed_by")
    search_fields = ("posting__title", "=posting__external_ref")
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = (
        "posting",
        "seeker",
        "score",
        "reasons_display",
        "status",
        "next_statuses",
        "is_current",
        "status_changed_at",
        "status_changed_by",
        "notified_at",
    )
    fields = readonly_fields
    actions = tuple(
        _status_action(s)
        for s in (
            MatchStatus.CONTACTED,
            MatchStatus.INTERVIEW,
            MatchStatus.INTENTION,
            MatchStatus.HIRED,
            MatchStatus.DECLINED,
        )
    )
    history_list_display = ("status", "status_changed_by")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

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

    def move(self, request: HttpRequest, queryset: QuerySet[Match], status: MatchStatus) -> None:
        done, failed = 0, []
        for match in queryset:
            try:
                match_set_status(match=match, status=status, actor=request.user)
                done += 1
            except ValidationError as exc:
                failed.append("；".join(exc.messages))
        if done:
            self.message_user(request, f"已改为「{status.label}」：{done} 条", messages.SUCCESS)
        for msg in sorted(set(failed)):
            self.message_user(request, msg, messages.WARNING)
