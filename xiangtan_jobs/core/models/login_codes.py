"""One-time SMS login codes (验证码登录) for seekers who forgot their password."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from encrypted_fields.fields import EncryptedCharField


class LoginCode(models.Model):
    """The latest login code asked for one phone number; only a keyed hash of the code is kept.

    A row is written for every phone asked about, with or without an account (``user`` empty,
    no SMS sent), so that asking, waiting and guessing look the same either way: the form must
    not tell a stranger which numbers are registered.
    """

    phone_digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    # The code itself, encrypted, from the request until the worker has texted it (then emptied):
    # the broker's message carries only the row's id, never the code (issue 17).
    code_sealed = EncryptedCharField("待发送的验证码", max_length=6, null=True, blank=True)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间", db_index=True)
    attempts = models.PositiveSmallIntegerField("输错次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录验证码"
        verbose_name_plural = "登录验证码"

    def __str__(self) -> str:
        return f"{self.phone_digest[:8]}… {self.created_at:%Y-%m-%d %H:%M}"
