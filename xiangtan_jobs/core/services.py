"""Write-side operations on the shared nouns."""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.sms import sms_send
from xiangtan_jobs.common.tasks import enqueue
from xiangtan_jobs.common.validators import normalize_mobile, validate_mobile
from xiangtan_jobs.core.enums import ConsentMethod, MembershipRole, PostingStatus, SeekerStatus, ServiceKind, UserRole
from xiangtan_jobs.core.models import (
    Area,
    Employer,
    InboxMessage,
    JobPosting,
    LoginCode,
    OperatorMembership,
    PostingSkill,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    ServiceRecord,
    User,
)
from xiangtan_jobs.core.models.postings import daily_equivalent
from xiangtan_jobs.core.search import posting_search_text

logger = logging.getLogger(__name__)


@transaction.atomic
def posting_expire_overdue() -> int:
    """Mark published postings whose expiry date has passed as expired; returns how many."""
    today = timezone.localdate()
    return JobPosting.objects.filter(status=PostingStatus.PUBLISHED, expires_on__lt=today).update(
        status=PostingStatus.EXPIRED, closed_at=timezone.now()
    )


# --- Posting lifecycle (the admin's actions and any other caller go through these) -----------

# How long a posting stays up when nobody gives a date: a month, the gig markets' habit.
DEFAULT_POSTING_DAYS = 30
MATCH_POSTING_TASK = "matching.match_posting"


def _transition_error(posting: JobPosting, action: str) -> ValidationError:
    return ValidationError(
        f"「{posting.title}」当前是「{PostingStatus(posting.status).label}」，不能{action}",
        code="posting_transition",
    )


def _locked(posting: JobPosting) -> JobPosting:
    return JobPosting.objects.select_for_update().select_related("employer").get(pk=posting.pk)


def _save_posting(posting: JobPosting, actor: User | None, fields: list[str], reason: str = "") -> None:
    posting._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    if reason:
        posting._change_reason = reason  # type: ignore[attr-defined]
    posting.save(update_fields=[*fields, "updated_at"])


def posting_derive_fields(*, posting: JobPosting) -> None:
    """Fill the stored derived values (district from area, daily wage) before a save."""
    if posting.area_id is not None:
        area = posting.area
        posting.district_id = area.parent_id or area.pk
    if posting.wage_max is not None and posting.wage_unit:
        posting.wage_daily = daily_equivalent(posting.wage_max, posting.wage_unit)


def posting_refresh_search_text(*, posting: JobPosting) -> None:
    """Recompute the keyword-search text from title, employer and skills (after skills change)."""
    text = posting_search_text(
        title=posting.title, employer_name=posting.employer.name, skills=list(posting.skills.all())
    )
    if text != posting.search_text:
        JobPosting.objects.filter(pk=posting.pk).update(search_text=text)
        posting.search_text = text


def _go_public(posting: JobPosting, actor: User | None) -> None:
    """Publish now, or hold for the site's reviewer when the employer is not verified yet."""
    if posting.employer.verified:
        posting.status = PostingStatus.PUBLISHED
        posting.published_at = timezone.now()
        posting.review_note = ""
        enqueue(MATCH_POSTING_TASK, posting.pk)
    else:
        # Management measures: an unverified employer's posting is checked before it goes public.
        posting.status = PostingStatus.PENDING_REVIEW


@transaction.atomic
def posting_publish(*, posting: JobPosting, actor: User | None) -> JobPosting:
    """Publish a draft (or a rejected posting after its fix); unverified employers wait for review."""
    posting = _locked(posting)
    if posting.status not in (PostingStatus.DRAFT, PostingStatus.REJECTED):
        raise _transition_error(posting, "发布")
    if posting.expires_on is not None and posting.expires_on < timezone.localdate():
        raise ValidationError("截止日期已过，请先改截止日期再发布", code="posting_expired_date")
    if posting.expires_on is None:
        posting.expires_on = timezone.localdate() + dt.timedelta(days=DEFAULT_POSTING_DAYS)
    _go_public(posting, actor)
    _save_posting(posting, actor, ["status", "published_at", "expires_on", "review_note"], "发布")
    return posting


def _check_reviewer(posting: JobPosting, actor: User) -> None:
    if actor.is_superuser:
        return
    if not OperatorMembership.objects.filter(
        user=actor, service_point_id=posting.service_point_id, role=MembershipRole.REVIEWER
    ).exists():
        raise PermissionDenied("只有本服务点的审核员可以审核岗位")


@transaction.atomic
def posting_approve(*, posting: JobPosting, actor: User) -> JobPosting:
    """A site reviewer lets a held posting go public (and matching starts)."""
    posting = _locked(posting)
    _check_reviewer(posting, actor)
    if posting.status != PostingStatus.PENDING_REVIEW:
        raise _transition_error(posting, "审核通过")
    posting.status = PostingStatus.PUBLISHED
    posting.published_at = timezone.now()
    posting.review_note = ""
    enqueue(MATCH_POSTING_TASK, posting.pk)
    _save_posting(posting, actor, ["status", "published_at", "review_note"], "审核通过")
    return posting


@transaction.atomic
def posting_reject(*, posting: JobPosting, actor: User, reason: str) -> JobPosting:
    """A site reviewer sends a held posting back with the reason (the operator fixes and resubmits)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写不通过的原因，方便录入人修改", code="reason_required")
    posting = _locked(posting)
    _check_reviewer(posting, actor)
    if posting.status != PostingStatus.PENDING_REVIEW:
        raise _transition_error(posting, "审核不通过")
    posting.status = PostingStatus.REJECTED
    posting.review_note = reason[:200]
    _save_posting(posting, actor, ["status", "review_note"], f"审核不通过：{reason}")
    return posting


@transaction.atomic
def posting_close(*, posting: JobPosting, actor: User | None) -> JobPosting:
    """Stop recruiting (no longer shown to seekers)."""
    posting = _locked(posting)
    if posting.status not in (PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW, PostingStatus.PUBLISHED):
        raise _transition_error(posting, "结束招聘")
    posting.status = PostingStatus.CLOSED
    posting.closed_at = timezone.now()
    _save_posting(posting, actor, ["status", "closed_at"], "结束招聘")
    return posting


@transaction.atomic
def posting_mark_filled(*, posting: JobPosting, actor: User | None) -> JobPosting:
    """All places are taken."""
    posting = _locked(posting)
    if posting.status != PostingStatus.PUBLISHED:
        raise _transition_error(posting, "标记为已招满")
    posting.status = PostingStatus.FILLED
    posting.closed_at = timezone.now()
    _save_posting(posting, actor, ["status", "closed_at"], "已招满")
    return posting


@transaction.atomic
def posting_relist(*, posting: JobPosting, actor: User | None, expires_on: dt.date | None = None) -> JobPosting:
    """Put an expired or closed posting up again with a fresh date (same review rule as publishing)."""
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise ValidationError("新的截止日期不能早于今天", code="posting_expired_date")
    posting = _locked(posting)
    if posting.status not in (PostingStatus.EXPIRED, PostingStatus.CLOSED):
        raise _transition_error(posting, "重新发布")
    posting.expires_on = expires_on or today + dt.timedelta(days=DEFAULT_POSTING_DAYS)
    posting.closed_at = None
    _go_public(posting, actor)
    _save_posting(posting, actor, ["status", "published_at", "expires_on", "closed_at", "review_note"], "重新发布")
    return posting


@transaction.atomic
def posting_duplicate(*, posting: JobPosting, actor: User | None) -> JobPosting:
    """A new draft with the same content and skills (for a recurring gig)."""
    source = JobPosting.objects.select_related("employer").get(pk=posting.pk)
    skills = list(PostingSkill.objects.filter(posting=source))
    copy = JobPosting.objects.get(pk=source.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.status = PostingStatus.DRAFT
    copy.published_at = None
    copy.closed_at = None
    copy.expires_on = None
    copy.review_note = ""
    copy.external_ref = ""
    copy.is_demo = False
    copy.created_by = actor
    copy._history_user = actor  # type: ignore[attr-defined]
    copy.save()
    PostingSkill.objects.bulk_create(
        PostingSkill(posting=copy, skill_id=s.skill_id, required=s.required, min_level=s.min_level) for s in skills
    )
    return copy


@transaction.atomic
def employer_verify(*, employer: Employer, actor: User | None) -> Employer:
    """Mark an employer as checked (its licence seen); its future postings publish directly."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if not employer.verified:
        employer.verified = True
        employer.verified_at = timezone.now()
        employer.verified_by = actor
        employer.save(update_fields=["verified", "verified_at", "verified_by", "updated_at"])
    return employer


# --- Walk-in desk (铁脚板): registrations and services recorded by operators -------------------


@transaction.atomic
def service_record_create(
    *,
    service_point: ServicePoint,
    kind: str,
    actor: User | None,
    seeker: SeekerRegistration | None = None,
    served_at: dt.datetime | None = None,
    note: str = "",
) -> ServiceRecord:
    """Record one person-time served at a site (the KPI 服务人次)."""
    return ServiceRecord.objects.create(
        service_point=service_point,
        seeker=seeker,
        kind=kind,
        served_at=served_at or timezone.now(),
        served_by=actor,
        note=note,
    )


@transaction.atomic
def registration_create_walk_in(
    *, registration: SeekerRegistration, service_point: ServicePoint, actor: User
) -> SeekerRegistration:
    """Register a seeker at the counter on their behalf; consent was signed on paper."""
    registration.service_point = service_point
    registration.registered_by = actor
    registration.consent_method = ConsentMethod.PAPER
    registration.consent_version = settings.PRIVACY_NOTICE_VERSION
    registration.consent_at = registration.consent_at or timezone.now()
    registration._history_user = actor  # type: ignore[attr-defined]
    registration.save()
    service_record_create(
        service_point=service_point, kind=ServiceKind.REGISTRATION, actor=actor, seeker=registration, note="窗口代登记"
    )
    enqueue(MATCH_SEEKER_TASK, registration.pk)
    return registration


# ======================================================================================
# The seekers' portal (issue 3): registration, edits, pause/resume, erasure. Appended block.
# ======================================================================================

MATCH_SEEKER_TASK = "matching.match_seeker"
ERASED_NAME = "已注销"
ERASED_PHONE = "erased"


@dataclass(frozen=True)
class SkillInput:
    """One declared skill of a registration."""

    skill_id: int
    level: int = 2
    years: int = 0
    has_certificate: bool = False


def _skills_replace(registration: SeekerRegistration, skills: Sequence[SkillInput]) -> None:
    registration.seeker_skills.all().delete()
    SeekerSkill.objects.bulk_create(
        [
            SeekerSkill(
                registration=registration,
                skill_id=s.skill_id,
                level=s.level,
                years=s.years,
                has_certificate=s.has_certificate,
            )
            for s in {s.skill_id: s for s in skills}.values()
        ]
    )


@transaction.atomic
def registration_submit(
    *,
    phone: str,
    name: str,
    birth_year: int,
    area: Area,
    skills: Sequence[SkillInput],
    password: str = "",
    password_hash: str = "",
    user: User | None = None,
    travel_km: int = 10,
    work_types: Sequence[str] = (),
    shifts: Sequence[str] = (),
    expected_wage: int | None = None,
    expected_unit: str = "",
    tags: Sequence[str] = (),
    id_number: str = "",
    consent_method: str = ConsentMethod.ONLINE,
) -> SeekerRegistration:
    """Register a job seeker online: the account (username = mobile), the registration with the
    privacy-notice version consented to, the skills; matching is queued once committed."""
    phone = normalize_mobile(phone)
    validate_mobile(phone)
    if SeekerRegistration.objects.current().by_phone(phone).exists():
        raise ValidationError({"phone": "这个手机号已经登记过了，请直接登录"}, code="phone_taken")
    if user is None:
        if User.objects.filter(username=phone).exists():
            raise ValidationError({"phone": "这个手机号已经登记过了，请直接登录"}, code="phone_taken")
        user = User(username=phone, role=UserRole.SEEKER, display_name=name)
        if password_hash:
            user.password = password_hash
        elif password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif SeekerRegistration.objects.current().filter(user=user).exists():
        raise ValidationError("您已经登记过了，可以在「我的」页面修改登记信息。", code="already_registered")
    registration = SeekerRegistration(
        user=user,
        name=name,
        phone=phone,
        id_number=id_number or None,
        birth_year=birth_year,
        area=area,
        home_lat=area.lat,
        home_lng=area.lng,
        travel_km=travel_km,
        work_types=list(work_types),
        shifts=list(shifts),
        expected_wage=expected_wage,
        expected_unit=expected_unit if expected_wage else "",
        tags=list(tags),
        status=SeekerStatus.ACTIVE,
        consent_version=settings.PRIVACY_NOTICE_VERSION,
        consent_at=timezone.now(),
        consent_method=consent_method,
    )
    try:
        # A savepoint: two submissions racing for one phone or ID meet the unique constraints.
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": "这个手机号或身份证号已经登记过了"}, code="duplicate") from exc
    _skills_replace(registration, skills)
    enqueue(MATCH_SEEKER_TASK, registration.pk)
    return registration


@transaction.atomic
def registration_update(
    *,
    registration: SeekerRegistration,
    actor: User,
    name: str,
    birth_year: int,
    area: Area,
    skills: Sequence[SkillInput],
    travel_km: int,
    work_types: Sequence[str],
    shifts: Sequence[str],
    expected_wage: int | None,
    expected_unit: str,
    tags: Sequence[str],
    id_number: str = "",
) -> SeekerRegistration:
    """The seeker edits their registration; their recommendations are recomputed."""
    if registration.user_id != actor.pk:
        raise PermissionDenied("只能修改自己的登记")
    registration.name = name
    registration.birth_year = birth_year
    if registration.area_id != area.pk:
        registration.home_lat, registration.home_lng = area.lat, area.lng
    registration.area = area
    registration.travel_km = travel_km
    registration.work_types = list(work_types)
    registration.shifts = list(shifts)
    registration.expected_wage = expected_wage
    registration.expected_unit = expected_unit if expected_wage else ""
    registration.tags = list(tags)
    registration.id_number = id_number or None
    registration._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise ValidationError({"id_number": "这个身份证号已经登记过了"}, code="duplicate") from exc
    _skills_replace(registration, skills)
    enqueue(MATCH_SEEKER_TASK, registration.pk)
    return registration


@transaction.atomic
def registration_set_paused(*, registration: SeekerRegistration, actor: User, paused: bool) -> SeekerRegistration:
    """Pause job seeking (no recommendations, no applications) or resume it (rematched)."""
    if registration.user_id != actor.pk:
        raise PermissionDenied("只能修改自己的登记")
    registration = SeekerRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (SeekerStatus.ACTIVE, SeekerStatus.PAUSED, SeekerStatus.EMPLOYED):
        raise ValidationError("这份登记已注销。", code="withdrawn")
    registration.status = SeekerStatus.PAUSED if paused else SeekerStatus.ACTIVE
    registration._history_user = actor  # type: ignore[attr-defined]
    registration.save(update_fields=["status", "updated_at"])
    # The engine reads the status: a paused seeker's run drops their untouched recommendations.
    enqueue(MATCH_SEEKER_TASK, registration.pk)
    return registration


@transaction.atomic
def registration_erase(*, registration: SeekerRegistration, actor: User) -> None:
    """Delete my data (PIPL art. 47): the registration is withdrawn and its personal fields
    erased (name, phone, ID number, exact home point, also in its history); the account and
    its inbox are deleted. What remains (birth year, town, skills, tags, served records,
    applications' outcomes) is anonymous and keeps the bureau's statistics true."""
    if registration.user_id != actor.pk:
        raise PermissionDenied("只能注销自己的登记")
    registration = SeekerRegistration.objects.select_for_update().get(pk=registration.pk)
    registration.status = SeekerStatus.WITHDRAWN
    registration.name = ERASED_NAME
    # The encrypted field cannot hold an empty value (it stores NULL); a marker replaces the phone.
    registration.phone = ERASED_PHONE
    registration.id_number = None
    registration.home_lat, registration.home_lng = registration.area.lat, registration.area.lng
    registration.note = ""
    registration.user = None
    registration.save()
    registration.refresh_digests()
    # Empty digests: the erased row no longer answers a look-up by the old phone.
    SeekerRegistration.objects.filter(pk=registration.pk).update(phone_digest="", phone_last4="", id_digest="")
    registration.history.all().update(name=ERASED_NAME, user=None)
    InboxMessage.objects.filter(user=actor).delete()
    enqueue(MATCH_SEEKER_TASK, registration.pk)
    User.objects.filter(pk=actor.pk).delete()


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
    return User.objects.filter(
        username=phone, role=UserRole.SEEKER, is_active=True, is_staff=False, is_superuser=False
    ).first()


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
    }
    if row is None:
        try:
            # A savepoint: two requests racing for one new phone meet the unique digest.
            with transaction.atomic():
                row = LoginCode.objects.create(phone_digest=digest, **values)
        except IntegrityError:
            return LoginCodeSent(wait=int(LOGIN_CODE_RESEND_AFTER.total_seconds()))
    else:
        LoginCode.objects.filter(pk=row.pk).update(**values)
    if user is not None:
        # The SMS goes from a worker, never from here: a provider's 100-500 ms (or its failure)
        # inside the request would tell by the clock alone which numbers have an account. For one
        # that has, the request only adds a local on-commit callback: no query, no network.
        # The message carries the row and the code (the row keeps only its hash) but not the
        # phone: the worker reads that from the account, so no number sits in the broker.
        enqueue(LOGIN_CODE_SMS_TASK, row.pk, code, secret=True)
    return LoginCodeSent(wait=0)


def login_code_deliver(*, login_code_id: int, code: str, now: dt.datetime | None = None) -> bool:
    """Text a login code to its account's phone if it is still the live one; False if it is not."""
    now = now or timezone.now()
    row = LoginCode.objects.select_related("user").filter(pk=login_code_id).first()
    # A code used, voided, expired (a retry came too late) or replaced by a newer one since it was
    # queued is not sent: the seeker would type a code that can no longer log in.
    if (
        row is None
        or row.user is None
        or row.used_at is not None
        or row.attempts >= LOGIN_CODE_MAX_TRIES
        or now >= row.expires_at
        or not constant_time_compare(_login_code_hash(phone_digest=row.phone_digest, code=code), row.code_hash)
    ):
        return False
    phone = row.user.username
    # The account's number may have changed since: the code was asked for the old one.
    if not row.user.is_active or pii_digest(phone) != row.phone_digest:
        return False
    minutes = int(LOGIN_CODE_TTL.total_seconds() // 60)
    text = f"【湘潭就业】您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。"
    try:
        sms_send(phone=phone, text=text)
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
    row.save(update_fields=["used_at"])
    return LoginCodeCheck(user=user)
