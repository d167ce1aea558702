"""API tokens in the admin: an operator (for one of their sites) or the bureau issues a token
for a partner system, sees when each was last used, and revokes it. The key is shown once, on
the page that answers the issuing form, and never stored: only its hash and first characters."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiangtan_jobs.core import services
from xiangtan_jobs.core.admin_scope import ADD, CHANGE, VIEW, ScopedAdminMixin
from xiangtan_jobs.core.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Operators see and revoke their sites' tokens; the bureau every token (and issues its own)."""

    operator_actions = frozenset({VIEW, ADD, CHANGE})
    bureau_actions = frozenset({VIEW, ADD, CHANGE})
    list_display = ("name", "prefix", "user", "service_point", "created_at", "last_used_at", "live", "revoked_at")
    list_select_related = ("user", "service_point")
    list_filter = ("revoked_at",)
    search_fields = ("name", "=prefix")
    actions = ("revoke",)
    fields = ("name", "service_point", "prefix", "user", "created_at", "last_used_at", "revoked_at", "revoked_by")
    ordering = ("-created_at", "-id")

    @admin.display(description=gettext_lazy("有效"), boolean=True)
    def live(self, obj: ApiToken) -> bool:
        return obj.is_live

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str] | tuple[str, ...]:
        shown = ["prefix", "user", "created_at", "last_used_at", "revoked_at", "revoked_by"]
        if obj is not None:  # a token is never edited: revoke it and issue another
            return ["name", "service_point", *shown]
        return [*super().get_readonly_fields(request, obj), *shown]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("name", "service_point") if obj is None else self.fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked tokens stay listed: who had access, and until when

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        if obj.service_point_id is None:
            obj.service_point_id = self.single_site_id(request)
        try:
            request._issued_api_key = services.api_token_issue(token=obj, actor=request.user)  # type: ignore[arg-type,attr-defined]
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from None

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None) -> HttpResponse:
        key = getattr(request, "_issued_api_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("令牌已签发"),
            "token": obj,
            "key": key,
        }
        response = TemplateResponse(request, "admin/core/apitoken/issued.html", context)
        response["Cache-Control"] = "no-store"  # the key must not stay in any cache
        return response

    @admin.action(description=gettext_lazy("撤销所选令牌"), permissions=("change",))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token, actor=request.user)  # type: ignore[arg-type]
            done += 1
        self.message_user(request, _("已撤销 %(n)d 个令牌。") % {"n": done}, messages.SUCCESS)
