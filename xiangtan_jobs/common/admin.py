"""Login lockouts (django-axes) in the admin: superusers see the locked accounts and addresses and
unlock one by deleting its row (the README's "解除登录锁定"). Operators do not see the list."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest

from xiangtan_jobs.common.models import DeadLetter, OwedTask


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    # The account is stored as its digest: search it with `manage.py login_unlock <phone>` instead.
    search_fields = ["ip_address", "path_info"]

    def _superuser(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _SuperuserReadOnly(admin.ModelAdmin):
    """Superusers look; nobody edits (rows are written by the workers)."""

    def _superuser(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DeadLetter)
class DeadLetterAdmin(_SuperuserReadOnly):
    """Tasks that kept failing after every retry (the workers record them; common/owed.py)."""

    list_display = ["failed_at", "task", "args", "retries", "error"]
    list_filter = ["task"]
    search_fields = ["task", "task_id", "error"]
    date_hierarchy = "failed_at"


@admin.register(OwedTask)
class OwedTaskAdmin(_SuperuserReadOnly):
    """Owed matching not done yet: normally empty within a minute or two (common/owed.py)."""

    list_display = ["task", "object_id", "owed_at", "claimed_at", "attempts", "run_after", "last_error"]
    list_filter = ["task"]
