"""The seeker's site inbox (站内信)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class InboxMessage(models.Model):
    """A message shown on a user's page; ``dedupe_key`` keeps a retried task from sending twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内信"
        verbose_name_plural = "站内信"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="inbox_dedupe"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="inbox_user_time")]

    def __str__(self) -> str:
        return self.title
