"""API tokens for partner systems (a WeChat mini-program, an employer's HR system, the
provincial platform): issued and revoked in the admin, stored as a hash only."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        """Tokens not revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """One system's key to the API, acting for the account that issued it, at most for one site.

    Only a SHA-256 of the key is kept (the key is 32 random bytes, so a plain hash is enough: no
    password stretching needed) and its first characters (``prefix``) to tell keys apart in the
    list; the key itself is shown once, when issued. An operator's token is limited to one of
    their service points; a bureau officer's token sees what the officer sees (read-only)."""

    name = models.CharField("对接系统名称", max_length=64)
    prefix = models.CharField("令牌前缀", max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代表账号",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        editable=False,
    )
    service_point = models.ForeignKey(
        "core.ServicePoint",
        verbose_name="限定服务点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="运营人员的令牌只能访问所选服务点的数据；人社局的令牌可留空（只读全部）",
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @property
    def throttle_id(self) -> int:
        """The identity the API's per-token throttle counts under."""
        return self.pk
