"""The posting's life: publish, review, close, mark filled, relist, duplicate, expire; employers verified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xiangtan_jobs.common.owed import enqueue_owed, enqueue_owed_many
from xiangtan_jobs.common.validators import normalize_credit_code
from xiangtan_jobs.core.enums import MembershipRole, PostingStatus, UserRole
from xiangtan_jobs.core.models import Employer, JobPosting, OperatorMembership, PostingSkill, User
from xiangtan_jobs.core.models.postings import daily_equivalent
from xiangtan_jobs.core.search import posting_search_text

# Postings per matching task when many change at once (the nightly expiry): one message each
# would flood the broker; one for all would hold a worker for minutes.
MATCH_POSTINGS_BATCH = 500
MATCH_POSTINGS_TASK = "matching.match_postings"


@transaction.atomic
def posting_expire_overdue() -> int:
    """Mark published postings whose expiry date has passed as expired; returns how many.

    They leave every seeker's recommendations at once (matching queued in batches on commit),
    not at the next nightly rematch."""
    today = timezone.localdate()
    overdue = JobPosting.objects.select_for_update().filter(status=PostingStatus.PUBLISHED, expires_on__lt=today)
    ids = list(overdue.values_list("pk", flat=True))
    # updated_at too: .update() skips auto_now, and the change feed reads it (closed postings).
    now = timezone.now()
    JobPosting.objects.filter(pk__in=ids).update(status=PostingStatus.EXPIRED, closed_at=now, updated_at=now)
    for start in range(0, len(ids), MATCH_POSTINGS_BATCH):
        enqueue_owed_many(MATCH_POSTING_TASK, ids[start : start + MATCH_POSTINGS_BATCH], wake=MATCH_POSTINGS_TASK)
    return len(ids)


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
        posting._change_reason = reason  # type: ignore[attr-defined]  # simple_history reads this attribute
    posting.save(update_fields=[*fields, "updated_at"])


def posting_derive_fields(*, posting: JobPosting) -> None:
    """Fill the stored derived values (district from area, daily wage) before a save."""
    if posting.area_id is not None:
        area = posting.area
        posting.district_id = area.parent_id or area.pk
    if posting.wage_max is not None and posting.wage_unit:
        posting.wage_daily = daily_equivalent(posting.wage_max, posting.wage_unit)


def posting_content_changed(*, posting: JobPosting) -> None:
    """After an edit of a posting's content (the admin's form and its skills, an import): the
    search text follows, and a public posting is matched again on commit (a switch to night
    shifts must not stay recommended as "上班时间合适" until the nightly run)."""
    posting_refresh_search_text(posting=posting)
    if posting.status == PostingStatus.PUBLISHED:
        enqueue_owed(MATCH_POSTING_TASK, posting.pk)


def posting_refresh_search_text(*, posting: JobPosting) -> None:
    """Recompute the keyword-search text from title, employer and skills (after skills change)."""
    text = posting_search_text(
        title=posting.title, employer_name=posting.employer.name, skills=list(posting.skills.all())
    )
    if text != posting.search_text:
        JobPosting.objects.filter(pk=posting.pk).update(search_text=text)
        posting.search_text = text


# Checks of the apps above core that can hold a posting for review (the gig markets hold the new
# postings of an employer with overdue wages). Each takes the posting and returns the reason in
# words, or "" to let it through. Core cannot import those apps, so they register here from their
# AppConfig.ready(); it is one explicit list, not a signal: posting_publish calls them in order.
PublishHold = Callable[[JobPosting], str]
PUBLISH_HOLDS: list[PublishHold] = []


def posting_publish_hold_register(check: PublishHold) -> None:
    """Add a check that may hold a posting for review when it is published (once per check)."""
    if check not in PUBLISH_HOLDS:
        PUBLISH_HOLDS.append(check)


def _hold_reason(posting: JobPosting) -> str:
    for check in PUBLISH_HOLDS:
        reason = check(posting)
        if reason:
            return reason
    return ""


def _go_public(posting: JobPosting, actor: User | None) -> None:
    """Publish now, or hold for the site's reviewer when the employer is not verified yet or a
    registered check (PUBLISH_HOLDS) gives a reason, which the reviewer reads as the review note."""
    hold = _hold_reason(posting)
    if posting.employer.verified and not hold:
        posting.status = PostingStatus.PUBLISHED
        posting.published_at = timezone.now()
        posting.review_note = ""
        enqueue_owed(MATCH_POSTING_TASK, posting.pk)
    else:
        # Management measures: an unverified employer's posting is checked before it goes public.
        posting.status = PostingStatus.PENDING_REVIEW
        if hold:
            posting.review_note = hold[:200]


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
    enqueue_owed(MATCH_POSTING_TASK, posting.pk)
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
    was_public = posting.status == PostingStatus.PUBLISHED
    posting.status = PostingStatus.CLOSED
    posting.closed_at = timezone.now()
    _save_posting(posting, actor, ["status", "closed_at"], "结束招聘")
    if was_public:
        enqueue_owed(MATCH_POSTING_TASK, posting.pk)  # its recommendations go, seekers get others
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
    enqueue_owed(MATCH_POSTING_TASK, posting.pk)  # its recommendations go, seekers get others
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
    copy._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
    copy.save()
    PostingSkill.objects.bulk_create(
        PostingSkill(posting=copy, skill_id=s.skill_id, required=s.required, min_level=s.min_level) for s in skills
    )
    return copy


@transaction.atomic
def employer_verifier(*, employer: Employer, actor: User | None) -> bool:
    """Whether ``actor`` may mark this employer verified: a superuser, a bureau officer, or a
    designated reviewer (审核员) of the employer's own site. An operator may not: verifying the
    employer they registered would let their postings skip the review (management measures)."""
    if actor is None or not actor.is_active or not actor.is_staff:
        return False
    if actor.is_superuser or actor.role == UserRole.BUREAU:
        return True
    return (
        employer.service_point_id is not None
        and OperatorMembership.objects.filter(
            user=actor, service_point_id=employer.service_point_id, role=MembershipRole.REVIEWER
        ).exists()
    )


@transaction.atomic
def employer_verify(*, employer: Employer, actor: User | None, trusted_source: bool = False) -> Employer:
    """Mark an employer as checked (its licence seen) by a reviewer; its future postings publish
    directly. ``trusted_source``: an exchange file whose source verifies employers itself (the
    provincial platform, a restore of this portal's export), imported by a command."""
    if not trusted_source and not employer_verifier(employer=employer, actor=actor):
        raise PermissionDenied("只有人社局或本服务点的审核员可以核验用人单位")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if not employer.verified:
        employer.verified = True
        employer.verified_at = timezone.now()
        employer.verified_by = actor
        employer.save(update_fields=["verified", "verified_at", "verified_by", "updated_at"])
    return employer


# --- Content: create and edit (the API; the admin's form does the same through its save hooks) ---


@dataclass(frozen=True)
class PostingSkillInput:
    """One skill a posting asks for."""

    skill_id: int
    required: bool = True
    min_level: int = 1


@transaction.atomic
def posting_save(
    *, posting: JobPosting, actor: User | None, skills: Sequence[PostingSkillInput] | None = None
) -> JobPosting:
    """Create a draft or edit a posting's content: derived fields filled, the model's rules checked
    (wage range, coordinates, the site's own number unique), skills replaced when given; the
    search text follows and a public posting is matched again on commit."""
    creating = posting.pk is None
    if creating:
        posting.status = PostingStatus.DRAFT
        posting.created_by = actor
    posting_derive_fields(posting=posting)
    posting.full_clean()
    posting._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
    posting.save()
    if skills is not None:
        PostingSkill.objects.filter(posting=posting).delete()
        PostingSkill.objects.bulk_create(
            PostingSkill(posting=posting, skill_id=s.skill_id, required=s.required, min_level=s.min_level)
            for s in {s.skill_id: s for s in skills}.values()
        )
    posting_content_changed(posting=posting)
    return posting


@transaction.atomic
def employer_save(*, employer: Employer, actor: User | None) -> Employer:
    """Register or edit an employer: the credit code normalised and checked (checksum, unique)."""
    employer.credit_code = normalize_credit_code(employer.credit_code) or None
    employer.full_clean()
    employer.save()
    return employer
