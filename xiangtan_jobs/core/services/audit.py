"""The append-only audit log (AccessLog): staff looks at personal data and every export."""

from __future__ import annotations

from django.http import HttpRequest

from xiangtan_jobs.core.models import AccessLog, SeekerRegistration, User

EXPORT_ACTION = "export"


def audit_access(*, user: User, seeker: SeekerRegistration, action: str, path: str = "") -> AccessLog:
    """Record one look by staff at a seeker's personal data (full record, contact, history)."""
    return AccessLog.objects.create(user=user, seeker=seeker, action=action, path=path[:200])


def audit_export(*, user: User, what: str, rows: int, request: HttpRequest | None = None) -> AccessLog:
    """Record one export: who, what (the list and format), how many rows."""
    path = request.get_full_path()[:200] if request is not None else ""
    return AccessLog.objects.create(user=user, action=EXPORT_ACTION, detail=what[:200], rows=rows, path=path)
