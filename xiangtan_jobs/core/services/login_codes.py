"""Login with an SMS code (验证码登录): send, deliver, check."""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.sms import sms_send
from xiangtan_jobs.common.tasks import enqueue
from xiangtan_jobs.core.auth_backends import seeker_account_by_phone
from xiangtan_jobs.core.enums import UserRole
from xiangtan_jobs.core.models import LoginCode, SeekerRegistration, User
from xiangtan_jobs.core.services.registrations import registration_claim_account

logger = logging.getLogger(__name__)


# --- Login with an SMS code (验证码登录) ------------------------------------------------------

LOGIN_CODE_TTL = dt.timedelta(minutes=5)
LOGIN_CODE_RESEND_AFTER = dt.timedelta(seconds=60)
LOGIN_CODE_MAX_TRIES = 5  # then the code is void: six digits must not be guessable by trying
# Rows of phones nobody came back for are dropped a day after their code expired.
LOGIN_CODE_KEEP = dt.timedelta(days=1)
LOGIN_CODE_SMS_TASK = "core.send_login_code"


class LoginCodeSmsFailed(Exception):
    """The SMS provider failed to take a login code; says only which number (last 4 digits), so that
    Celery's retry and failure logs cannot quote the provider's error, which may hold the code."""


@dataclass(frozen=True)
class LoginCodeSent:
    """What asking for a code did: ``wait`` seconds left before a new code may be asked for (0 = a
    new code was made). Says nothing about whether the phone has an account."""

    wait: int


@dataclass(frozen=True)
class LoginCodeCheck:
    """The account a correct code logs into, or why the code was refused.

    ``problem``: "" (correct), "missing" (none asked for), "used", "too_many", "expired", "wrong".
    """

    user: User | None
    problem: str = ""
    tries_left: int = 0


def _login_code_hash(*, phone_digest: str, code: str) -> str:
    # Keyed with SECRET_KEY: a copy of the table alone does not let anyone try the million codes.
    return salted_hmac("xiangtan_jobs.core.login_code", f"{phone_digest}:{code}", algorithm="sha256").hexdigest()


def _login_code_account(phone: str) -> User | None:
    # Seekers only: staff accounts keep their password (an SMS code must not open the admin).
    user = seeker_account_by_phone(phone)
    if user is not None and (user.role != UserRole.SEEKER or not user.is_active or user.is_staff or user.is_superuser):
        return None
    # A seeker registered at a counter has no account until they first ask for a code: it is
    # made now (no password; only the phone's owner gets the code), so the SMS login lets them in.
    return user or registration_claim_account(phone=phone)


@transaction.atomic
def login_code_send(*, phone: str, now: dt.datetime | None = None) -> LoginCodeSent:
    """Text a 6-digit login code to the seeker account with this (normalised) phone, if any."""
    now = now or timezone.now()
    digest = pii_digest(phone)
    LoginCode.objects.filter(expires_at__lt=now - LOGIN_CODE_KEEP).delete()
    row = LoginCode.objects.select_for_update().filter(phone_digest=digest).first()
    if row is not None and now - row.created_at < LOGIN_CODE_RESEND_AFTER:
        return LoginCodeSent(wait=math.ceil((row.created_at + LOGIN_CODE_RESEND_AFTER - now).total_seconds()))
    user = _login_code_account(phone)
    # A code is made (and hashed) for an unknown phone too, only never sent: the same work and
    # the same row either way, so the answers and the later "wrong code" look alike.
    code = f"{secrets.randbelow(10**6):06d}"
    values = {
        "user": user,
        "code_hash": _login_code_hash(phone_digest=digest, code=code),
        "created_at": now,
        "expires_at": now + LOGIN_CODE_TTL,
        "attempts": 0,
        "used_at": None,
        "code_sealed": code if user is not None else None,
    }
    if row is None:
        try:
            # A savepoint: two requests racing for one new phone meet the unique digest.
            with transaction.atomic():
                row = LoginCode.objects.create(phone_digest=digest, **values)
        except IntegrityError:
            return LoginCodeSent(wait=int(LOGIN_CODE_RESEND_AFTER.total_seconds()))
    else:
        for field, value in values.items():
            setattr(row, field, value)
        row.save(update_fields=list(values))  # save(), not update(): the code column is encrypted
    if user is not None:
        # The SMS goes from a worker, never from here: a provider's 100-500 ms (or its failure)
        # inside the request would tell by the clock alone which numbers have an account. For one
        # that has, the request only adds a local on-commit callback: no query, no network.
        # The message carries only the row's id: the code waits encrypted in the row and the
        # phone in the registration, so neither a code nor a number sits in the broker.
        enqueue(LOGIN_CODE_SMS_TASK, row.pk)
    return LoginCodeSent(wait=0)


def login_code_deliver(*, login_code_id: int, now: dt.datetime | None = None) -> bool:
    """Text a login code to its account's phone if it is still the live one; False if it is not."""
    now = now or timezone.now()
    row = LoginCode.objects.select_related("user").filter(pk=login_code_id).first()
    code = (row.code_sealed or "") if row is not None else ""
    # A code used, voided, expired (a retry came too late) or replaced by a newer one since it was
    # queued is not sent: the seeker would type a code that can no longer log in.
    if (
        row is None
        or not code
        or row.user is None
        or row.used_at is not None
        or row.attempts >= LOGIN_CODE_MAX_TRIES
        or now >= row.expires_at
        or not constant_time_compare(_login_code_hash(phone_digest=row.phone_digest, code=code), row.code_hash)
    ):
        return False
    registration = SeekerRegistration.objects.current().filter(user=row.user).first()
    # The account's number may have changed since: the code was asked for the old one.
    if not row.user.is_active or registration is None or registration.phone_digest != row.phone_digest:
        return False
    phone = registration.phone
    minutes = int(LOGIN_CODE_TTL.total_seconds() // 60)
    text = f"【湘潭就业】您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。"
    try:
        sms_send(phone=phone, text=text)
        # Sent: the code is no longer kept in any readable form (only its hash), unless a newer one
        # replaced it meanwhile.
        LoginCode.objects.filter(pk=row.pk, code_hash=row.code_hash).update(code_sealed=None)
    except Exception:
        # Not logger.exception: a provider's error may quote the message, and with it the code.
        logger.error("Login code SMS to ***%s failed", phone[-4:])
    else:
        return True
    # Raised outside the except block, so no chained traceback carries the provider's error.
    raise LoginCodeSmsFailed(f"***{phone[-4:]}")


@transaction.atomic
def login_code_check(*, phone: str, code: str, now: dt.datetime | None = None) -> LoginCodeCheck:
    """Check a login code typed for this phone; a correct one is used up and names its account."""
    now = now or timezone.now()
    digest = pii_digest(phone)
    row = LoginCode.objects.select_for_update().filter(phone_digest=digest).first()
    if row is None:
        return LoginCodeCheck(user=None, problem="missing")
    if row.used_at is not None:
        return LoginCodeCheck(user=None, problem="used")
    if row.attempts >= LOGIN_CODE_MAX_TRIES:
        return LoginCodeCheck(user=None, problem="too_many")
    if now >= row.expires_at:
        return LoginCodeCheck(user=None, problem="expired")
    user = User.objects.filter(pk=row.user_id, is_active=True).first() if row.user_id else None
    if user is None or not constant_time_compare(_login_code_hash(phone_digest=digest, code=code), row.code_hash):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = LOGIN_CODE_MAX_TRIES - row.attempts
        return LoginCodeCheck(user=None, problem="wrong" if left else "too_many", tries_left=left)
    row.used_at = now
    row.code_sealed = None
    row.save(update_fields=["used_at", "code_sealed"])
    return LoginCodeCheck(user=user)
