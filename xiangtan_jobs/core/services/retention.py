"""Removing a person from a registration: the seeker's erasure (PIPL art. 47) and the retention
period's anonymisation of registrations nobody used for ``SEEKER_RETENTION_DAYS``.

Both keep the row, its status, dates, site, town, birth year, skills, tags and the rows hanging on
it (person-times, matches, fair sign-ups), so every KPI of docs/kpis.md counts exactly as before;
what goes is everything that points at the person: name, phone (and its digest and last digits),
ID number (and its digest), exact home point, note, the account, in the live row and in every
historical version, in the login codes, the lockout tables and the audit log's paths.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xiangtan_jobs.common.owed import enqueue_owed
from xiangtan_jobs.core.enums import SeekerStatus, SmsStatus, UserRole
from xiangtan_jobs.core.models import AccessLog, LoginCode, SeekerRegistration, SmsOutbox, User
from xiangtan_jobs.core.models.seekers import ERASED_PHONE

MATCH_SEEKER_TASK = "matching.match_seeker"
ERASED_NAME = "已注销"
ANONYMISED_NAME = "已匿名"
# What the audit log shows in a path or detail instead of a phone or ID number it held.
REDACTED = "[已删除]"


def retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """The moment before which a registration's last activity makes it due for anonymisation."""
    return (now or timezone.now()) - dt.timedelta(days=settings.SEEKER_RETENTION_DAYS)


def _audit_log_scrub(registration: SeekerRegistration, secrets: list[str]) -> None:
    """The audit log keeps who looked, when and what kind of look; not a path that names the person.

    A look at this seeker keeps its path without the query string (an admin search typed there);
    any row whose path or detail holds the phone or ID number itself has it replaced.
    """
    for log in AccessLog.objects.filter(seeker=registration).filter(path__contains="?"):
        AccessLog.objects.filter(pk=log.pk).update(path=log.path.split("?", 1)[0])
    if not secrets:
        return
    hits = Q()
    for value in secrets:
        hits |= Q(path__contains=value) | Q(detail__contains=value)
    for log in AccessLog.objects.filter(hits):
        path, detail = log.path, log.detail
        for value in secrets:
            path, detail = path.replace(value, REDACTED), detail.replace(value, REDACTED)
        AccessLog.objects.filter(pk=log.pk).update(path=path[:200], detail=detail[:200])


def _personal_data_remove(registration: SeekerRegistration, *, name: str, now: dt.datetime) -> User | None:
    """Remove every trace of the person from ``registration`` (locked by the caller) and its history;
    returns the account it was detached from (the caller decides whether to delete it)."""
    phone = registration.phone if registration.phone != ERASED_PHONE else ""
    id_number = registration.id_number or ""
    digests = [d for d in (registration.phone_digest, registration.id_digest) if d]
    account = registration.user
    lat, lng = registration.area.lat, registration.area.lng
    registration.name = name
    registration.phone = ERASED_PHONE  # refresh_digests() empties the digest and last digits
    registration.id_number = None
    registration.home_lat, registration.home_lng = lat, lng
    registration.note = ""
    registration.user = None
    registration.anonymised_at = now
    registration._change_reason = name  # type: ignore[attr-defined]  # read by django-simple-history
    registration.save()
    # Every past version too: the digest and last digits find a person as surely as the phone does.
    registration.history.all().update(
        name=name, phone_digest="", phone_last4="", id_digest="", note="", user=None, home_lat=lat, home_lng=lng
    )
    if digests:
        # Login codes and failed-login records are keyed by the phone's digest (common/lockout.py).
        LoginCode.objects.filter(phone_digest__in=digests).delete()
        for model in (AccessAttempt, AccessFailureLog, AxesAccessLog):
            model.objects.filter(username__in=digests).delete()
    _audit_log_scrub(registration, [v for v in (phone, id_number) if len(v) >= 6])
    return account


@transaction.atomic
def registration_erase(*, registration: SeekerRegistration, actor: User) -> None:
    """Delete my data (PIPL art. 47): the registration is withdrawn and its personal fields
    erased (name, phone, ID number and their digests, exact home point, also in its history); the
    account and its inbox are deleted. What remains (birth year, town, skills, tags, served records,
    applications' outcomes) is anonymous and keeps the bureau's statistics true."""
    if registration.user_id != actor.pk:
        raise PermissionDenied("只能注销自己的登记")
    registration = SeekerRegistration.objects.select_for_update().select_related("area").get(pk=registration.pk)
    registration.status = SeekerStatus.WITHDRAWN
    _personal_data_remove(registration, name=ERASED_NAME, now=timezone.now())
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
    User.objects.filter(pk=actor.pk).delete()  # its inbox and login codes go with it (CASCADE)


def registration_anonymise(*, registration: SeekerRegistration, now: dt.datetime | None = None) -> bool:
    """Anonymise one registration (locked by the caller, inside its transaction) for the retention
    period: personal fields gone, status and statistics kept, the seeker's own account deleted.
    Returns False if it was anonymised already (safe to run twice)."""
    if registration.anonymised_at is not None:
        return False
    now = now or timezone.now()
    account = _personal_data_remove(registration, name=ANONYMISED_NAME, now=now)
    # The engine leaves anonymised registrations out: their recommendations are dropped on commit.
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk, now=now)
    if (
        account is not None
        and account.role == UserRole.SEEKER
        and not account.is_staff
        and not SeekerRegistration.objects.filter(user=account).exists()
    ):
        account.delete()  # display name (the person's name), last login; inbox and codes CASCADE
    return True


def retention_purge_messages(*, now: dt.datetime | None = None) -> int:
    """Texts and login codes older than the retention period are deleted (sent, failed or expired
    long ago, they are only somebody's phone number): returns how many rows went."""
    cutoff = retention_cutoff(now=now)
    sms, _ = (
        SmsOutbox.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[SmsStatus.PENDING, SmsStatus.SENDING])
        .delete()
    )
    codes, _ = LoginCode.objects.filter(expires_at__lt=cutoff).delete()
    return sms + codes
