"""Seekers' registrations: the walk-in desk (铁脚板), the portal's registration, edits, pause and erasure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.owed import enqueue_owed
from xiangtan_jobs.common.validators import normalize_mobile, validate_mobile
from xiangtan_jobs.core.enums import ConsentMethod, SeekerStatus, ServiceKind, UserRole
from xiangtan_jobs.core.models import (
    Area,
    SeekerRegistration,
    SeekerSkill,
    ServicePoint,
    ServiceRecord,
    User,
)
from xiangtan_jobs.core.models.users import seeker_username
from xiangtan_jobs.core.services.sms import sms_queue

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
    *,
    registration: SeekerRegistration,
    service_point: ServicePoint,
    actor: User,
    skills: Sequence[SkillInput] | None = None,
) -> SeekerRegistration:
    """Register a seeker at the counter on their behalf; consent was signed on paper. ``skills``
    (the API) are written with it; the admin's inline writes them itself."""
    registration.service_point = service_point
    registration.registered_by = actor
    registration.consent_method = ConsentMethod.PAPER
    registration.consent_version = settings.PRIVACY_NOTICE_VERSION
    registration.consent_at = registration.consent_at or timezone.now()
    registration._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
    try:
        # A savepoint: the same person registered at another desk meets the unique constraints.
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": "这个手机号或身份证号已经登记过了"}, code="duplicate") from exc
    if skills is not None:
        _skills_replace(registration, skills)
    service_record_create(
        service_point=service_point, kind=ServiceKind.REGISTRATION, actor=actor, seeker=registration, note="窗口代登记"
    )
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
    # The seeker's first SMS says how to get in: they have no password, only this phone.
    sms_queue(
        phone=registration.phone,
        text=(
            f"【湘潭就业】您已在{service_point.name}完成求职登记。{WALK_IN_LOGIN_TEXT}"
            f"网址：{settings.PUBLIC_URL}/accounts/login/sms/"
        ),
        purpose="walk_in",
        dedupe_key=f"walk-in:{registration.pk}",
    )
    return registration


# How a seeker registered at a counter logs in (said in their first SMS and in the news they get).
WALK_IN_LOGIN_TEXT = "第一次登录请在网站选“用短信验证码登录”，填这个手机号；登录后请核对登记信息，也可以设置密码。"


@transaction.atomic
def registration_claim_account(*, phone: str) -> User | None:
    """The seeker account of a registration made at a counter (no account yet), made now that the
    seeker asks to log in with an SMS code; None if the phone has no such registration, or is
    the account of another registration."""
    registration = (
        SeekerRegistration.objects.current().by_phone(phone).select_for_update().filter(user__isnull=True).first()
    )
    if registration is None:
        return None
    user = User(username=seeker_username(), role=UserRole.SEEKER, display_name=registration.name)
    user.set_unusable_password()
    user.save()
    SeekerRegistration.objects.filter(pk=registration.pk).update(user=user)
    return user


@transaction.atomic
def registration_confirm_online(
    *, registration: SeekerRegistration, actor: User, password: str = "", now: dt.datetime | None = None
) -> SeekerRegistration:
    """A seeker registered at a counter confirms the registration online at their first login
    (the privacy notice's current version), and may set a password for next time."""
    if registration.user_id != actor.pk:
        raise PermissionDenied("只能确认自己的登记")
    registration = SeekerRegistration.objects.select_for_update().get(pk=registration.pk)
    registration.confirmed_online_at = registration.confirmed_online_at or now or timezone.now()
    registration.consent_version = settings.PRIVACY_NOTICE_VERSION
    registration._history_user = actor  # type: ignore[attr-defined]
    registration.save(update_fields=["confirmed_online_at", "consent_version", "updated_at"])
    if password:
        actor.set_password(password)
        actor.save(update_fields=["password"])
    return registration


# --- The seeker's own registration: submit, edit, pause/resume, erasure ----------------------

MATCH_SEEKER_TASK = "matching.match_seeker"


def registration_taken_message() -> str:
    """The one answer when a new registration's phone or ID number is already registered: it says
    neither which of the two nor where (the SMS login's same-answer design, issue 17)."""
    return _(
        "这个手机号或身份证号不能用于新的登记。以前登记过的，请直接登录（忘记密码可以用短信验证码登录）；"
        "如果不是您本人登记的，请带身份证到附近服务点核实。"
    )


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
    """Register a job seeker online: the account (a random username; the login finds it by phone),
    the registration with the privacy-notice version consented to, the skills; matching is queued
    once committed."""
    phone = normalize_mobile(phone)
    validate_mobile(phone)
    if SeekerRegistration.objects.current().by_phone(phone).exists():
        raise ValidationError(registration_taken_message(), code="taken")
    if id_number and SeekerRegistration.objects.current().filter(id_digest=pii_digest(id_number)).exists():
        raise ValidationError(registration_taken_message(), code="taken")
    if user is None:
        user = User(username=seeker_username(), role=UserRole.SEEKER, display_name=name)
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
        raise ValidationError(registration_taken_message(), code="taken") from exc
    _skills_replace(registration, skills)
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
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
    registration._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"id_number": _("这个身份证号不能使用，请带身份证到附近服务点核实")}, code="duplicate"
        ) from exc
    _skills_replace(registration, skills)
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
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
    registration._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
    registration.save(update_fields=["status", "updated_at"])
    # The engine reads the status: a paused seeker's run drops their untouched recommendations.
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
    return registration


@transaction.atomic
def registration_skill_trained(*, registration: SeekerRegistration, skill_id: int, evidence: str) -> SeekerSkill:
    """A training completed (培训合格): the skill is added to the seeker's registration (or kept,
    at least basic level) marked trained with its evidence; the seeker is matched again on commit."""
    seeker_skill, created = SeekerSkill.objects.get_or_create(
        registration=registration, skill_id=skill_id, defaults={"trained_evidence": evidence[:120]}
    )
    if not created:
        seeker_skill.trained_evidence = evidence[:120]
        seeker_skill.save(update_fields=["trained_evidence"])
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
    return seeker_skill


def registration_content_changed(*, registration: SeekerRegistration) -> None:
    """After an operator's edit of a registration (the admin's form and its skills, an import):
    the seeker is matched again on commit."""
    enqueue_owed(MATCH_SEEKER_TASK, registration.pk)


# What an operator may set a registration's status to from the admin's actions.
OPERATOR_STATUSES = (SeekerStatus.ACTIVE, SeekerStatus.PAUSED, SeekerStatus.EMPLOYED)


@transaction.atomic
def registration_set_status(*, registration: SeekerRegistration, status: str, actor: User) -> SeekerRegistration:
    """An operator marks a seeker employed, paused or active again; a withdrawn (erased)
    registration stays as it is. The seeker is matched again on commit: an employed or paused
    seeker keeps no recommendation."""
    if status not in OPERATOR_STATUSES:
        raise ValidationError(f"不能把登记改成「{status}」", code="status")
    registration = SeekerRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == SeekerStatus.WITHDRAWN:
        raise ValidationError("这份登记已注销。", code="withdrawn")
    if registration.status != status:
        registration.status = status
        registration._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
        registration.save(update_fields=["status", "updated_at"])
        enqueue_owed(MATCH_SEEKER_TASK, registration.pk)
    return registration
