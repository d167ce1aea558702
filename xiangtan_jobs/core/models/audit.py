"""Who on the staff looked at which seeker's record, and who exported what (PIPL accountability).

Append-only: rows are only ever created (the admin lists them, nobody changes or deletes them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessLog(models.Model):
    """One access by a staff user to a seeker's personal data (``seeker`` set), or one export of
    many rows (``seeker`` empty; ``detail`` says what, ``rows`` how many)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seeker = models.ForeignKey(
        "core.SeekerRegistration", null=True, blank=True, on_delete=models.CASCADE, related_name="access_logs"
    )
    action = models.CharField("操作", max_length=32)
    path = models.CharField("页面", max_length=200, blank=True)
    detail = models.CharField("内容", max_length=200, blank=True)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "个人信息访问记录"
        verbose_name_plural = "个人信息访问记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["seeker", "-at"], name="accesslog_seeker_time")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.seeker_id}"
