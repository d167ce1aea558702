"""API tokens: issue (the key shown once), revoke, and authenticate a request's key."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xiangtan_jobs.core.enums import UserRole
from xiangtan_jobs.core.models import ApiToken, OperatorMembership, User

TOKEN_PREFIX = "xt_"  # nosec B105 # noqa: S105  # a marker, not a secret
# last_used_at is written at most this often per token: a partner polling every second must not
# turn every read into a write.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _check_issuer(actor: User, service_point_id: int | None) -> None:
    if actor.is_superuser:
        return
    if not actor.is_active or not actor.is_staff:
        raise PermissionDenied("只有服务点运营人员或人社局工作人员可以签发令牌")
    if actor.role == UserRole.BUREAU:
        return
    if actor.role != UserRole.OPERATOR or service_point_id is None:
        raise PermissionDenied("运营人员的令牌必须限定在自己的服务点")
    if not OperatorMembership.objects.filter(user=actor, service_point_id=service_point_id).exists():
        raise PermissionDenied("只能为自己的服务点签发令牌")


@transaction.atomic
def api_token_issue(*, token: ApiToken, actor: User) -> str:
    """Save a new token acting for ``actor`` (limited to ``token.service_point``); returns the
    key, which is not stored and cannot be shown again."""
    name = (token.name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写对接系统的名称"}, code="required")
    _check_issuer(actor, token.service_point_id)
    body = secrets.token_urlsafe(32)
    key = f"{TOKEN_PREFIX}{body}"
    token.name = name
    token.user = actor
    token.prefix = key[: len(TOKEN_PREFIX) + 8]
    token.key_hash = api_token_hash(key)
    token.save()
    return key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Stop a token at once (its next request answers 401); a revoked token stays listed."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_authenticate(*, key: str, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token with this key (its account active), noting when it was last used; else None."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.live()
        .select_related("user")
        .filter(key_hash=api_token_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
