"""The one outbox of every text message the portal sends (except login codes, see services/sms.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from encrypted_fields.fields import EncryptedCharField

from xiangtan_jobs.common.masking import mask_phone
from xiangtan_jobs.common.models import choices_constraint
from xiangtan_jobs.core.enums import SmsStatus


class SmsOutbox(models.Model):
    """One text message to send: the row, not the broker's message, is the truth of what is left.

    ``dedupe_key`` (unique when set) keeps a retried task or a repeated event from texting twice;
    ``send_after`` holds a message back through the quiet hours.
    """

    phone = EncryptedCharField("手机号", max_length=20)
    text = models.TextField("内容")
    # A short free label of what it is for ("application", "invitation", "walk_in", "fair", …):
    # new uses need no migration.
    purpose = models.CharField("用途", max_length=32)
    dedupe_key = models.CharField("去重键", max_length=120, blank=True)
    status = models.CharField("状态", max_length=16, choices=SmsStatus.choices, default=SmsStatus.PENDING)
    send_after = models.DateTimeField("最早发送时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    claimed_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "短信发件箱"
        verbose_name_plural = "短信发件箱"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="sms_dedupe"),
            choices_constraint("status", SmsStatus, "sms_status_valid"),
        ]
        # What the flush reads: the few rows not yet sent, by when they are due.
        indexes = [models.Index(fields=["send_after"], condition=Q(status__in=["pending", "sending"]), name="sms_due")]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.purpose} {self.get_status_display()}"
