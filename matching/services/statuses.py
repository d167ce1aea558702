"""A match's status: the seeker's application and the operator's pipeline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matching.enums import APPLYABLE_STATUSES, MatchStatus
from matching.models import Match
from matching.services.news import match_tell_seeker
from xiangtan_jobs.core.enums import SeekerStatus, WorkType
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, User
from xiangtan_jobs.core.services import registration_erase

# The operator's pipeline: contacted → interview → intention reached → hired, or declined.
# Each step may also go back one step (every change is reversible; history keeps them all), but
# never back to what only the seeker does (viewing, applying) or to the automatic 未获回复.
PIPELINE_NEXT: dict[str, tuple[str, ...]] = {
    MatchStatus.RECOMMENDED: (MatchStatus.INVITED, MatchStatus.CONTACTED, MatchStatus.DECLINED),
    MatchStatus.VIEWED: (MatchStatus.INVITED, MatchStatus.CONTACTED, MatchStatus.DECLINED),
    MatchStatus.INVITED: (MatchStatus.CONTACTED, MatchStatus.DECLINED),
    MatchStatus.APPLIED: (MatchStatus.CONTACTED, MatchStatus.INTERVIEW, MatchStatus.DECLINED),
    MatchStatus.CONTACTED: (MatchStatus.INTERVIEW, MatchStatus.DECLINED),
    MatchStatus.INTERVIEW: (MatchStatus.INTENTION, MatchStatus.DECLINED),
    MatchStatus.INTENTION: (MatchStatus.HIRED, MatchStatus.DECLINED),
    MatchStatus.HIRED: (),
    MatchStatus.DECLINED: (),
    MatchStatus.WITHDRAWN: (),
    MatchStatus.NO_REPLY: (),
}
# Where "back one step" may lead: the operator's own steps (and an application they moved on by mistake).
BACK_TO = frozenset({MatchStatus.APPLIED, MatchStatus.CONTACTED, MatchStatus.INTERVIEW, MatchStatus.INTENTION})
# Final for everyone: the seeker withdrew, or nobody answered in time.
CLOSED = frozenset({MatchStatus.WITHDRAWN, MatchStatus.NO_REPLY})


def _previous_status(match: Match) -> str | None:
    """The status this match had before its current one, from its history."""
    older = match.history.exclude(status=match.status).order_by("-history_date").values_list("status", flat=True)
    return older.first()


def match_allowed_statuses(*, match: Match) -> list[str]:
    """Where the operator may move this match next (forward steps, plus back one step)."""
    allowed = list(PIPELINE_NEXT.get(match.status, ()))
    if match.status in CLOSED:
        return allowed
    previous = _previous_status(match)
    if previous and previous in BACK_TO and previous not in allowed and previous != match.status:
        allowed.append(previous)
    return allowed


def _record(match: Match, status: str, actor: User | None, now: dt.datetime, reason: str = "") -> None:
    match.status = status
    match.status_changed_at = now
    match.status_changed_by = actor
    match._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    match._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute


@transaction.atomic
def match_set_status(
    *,
    match: Match,
    status: str,
    actor: User,
    reason: str = "",
    interview_at: dt.datetime | None = None,
    interview_place: str = "",
    now: dt.datetime | None = None,
) -> Match:
    """Move a match along the operator's pipeline, recording who and when; the seeker is told
    (inbox and SMS) of every step they care about. An interview may carry its time and place."""
    now = now or timezone.now()
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("posting__service_point", "seeker")
        .get(pk=match.pk)
    )
    if status not in match_allowed_statuses(match=match):
        raise ValidationError(
            {"status": f"不能从「{MatchStatus(match.status).label}」改为「{MatchStatus(status).label}」"},
            code="transition",
        )
    if status == MatchStatus.INVITED:
        return _invite(match, actor, now)
    _record(match, status, actor, now, reason)
    fields = ["status", "status_changed_at", "status_changed_by", "updated_at"]
    if status == MatchStatus.INTERVIEW:
        match.interview_at = interview_at
        match.interview_place = interview_place.strip()[:200]
        fields += ["interview_at", "interview_place"]
    match.save(update_fields=fields)
    match_tell_seeker(match=match, status=status, now=now)
    return match


def _invite(match: Match, actor: User, now: dt.datetime) -> Match:
    if match.seeker.status != SeekerStatus.ACTIVE:
        raise ValidationError("这位求职者已暂停求职或已就业，不能邀请。", code="seeker_inactive")
    if not match.posting.is_open:
        raise ValidationError("这个岗位已经停止招聘，不能邀请。", code="posting_closed")
    _record(match, MatchStatus.INVITED, actor, now)
    match.invited_at = now
    match.save(update_fields=["status", "status_changed_at", "status_changed_by", "invited_at", "updated_at"])
    match_tell_seeker(match=match, status=MatchStatus.INVITED, now=now)
    return match


# What a face-to-face meeting (a fair's booth) may set a match to directly, and back to.
IN_PERSON_STATUSES = frozenset({MatchStatus.CONTACTED, MatchStatus.INTERVIEW, MatchStatus.INTENTION, MatchStatus.HIRED})


@transaction.atomic
def match_record_in_person(
    *,
    posting: JobPosting,
    seeker: SeekerRegistration,
    status: str,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
) -> tuple[Match, str]:
    """An outcome met face to face (a fair's booth): the match is created if there is none and set
    straight to this status (no online application or contact step happened), the history keeping
    who, when and why. ``status`` may also be the match's earlier status, to take a record back.
    Returns the match and the status it had before ("" for a match created here)."""
    now = now or timezone.now()
    match = Match.objects.select_for_update(of=("self",)).filter(posting=posting, seeker=seeker).first()
    before = match.status if match is not None else ""
    if match is None:
        match = Match(posting=posting, seeker=seeker, score=0, reasons=[], is_current=False, kept=False)
    if status not in MatchStatus.values:
        raise ValidationError({"status": f"不能记为「{status}」"}, code="transition")
    if status == match.status and match.pk is not None:
        return match, before
    _record(match, status, actor, now, reason[:100])
    if status in IN_PERSON_STATUSES:
        match.is_current = False  # from the recommendations to what happened
    match.save()
    return match, before


@transaction.atomic
def match_invite(*, match: Match, actor: User, now: dt.datetime | None = None) -> Match:
    """An operator invites a recommended seeker to apply (inbox + SMS with a link); the seeker's
    contact stays hidden from the site until they apply."""
    return match_set_status(match=match, status=MatchStatus.INVITED, actor=actor, now=now)


@transaction.atomic
def match_apply(
    *, seeker: SeekerRegistration, posting: JobPosting, actor: User, now: dt.datetime | None = None
) -> Match:
    """The seeker applies to a posting with one click while it is open; applying is consent to be
    contacted by the posting's site. Again after withdrawing (or after no answer), never twice at once."""
    now = now or timezone.now()
    if seeker.user_id != actor.pk:
        raise PermissionDenied("只能用自己的登记申请岗位")
    if seeker.status != SeekerStatus.ACTIVE:
        raise ValidationError("您的求职登记已暂停，请先恢复求职再申请。", code="seeker_inactive")
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    if not posting.is_open:
        raise ValidationError("这个岗位已经停止招聘，不能再申请。", code="posting_closed")
    match = Match.objects.select_for_update().filter(posting=posting, seeker=seeker).first()
    if match is not None and match.status not in APPLYABLE_STATUSES:
        raise ValidationError("您已经申请过这个岗位了，进展请看「我的申请」。", code="already_applied")
    if match is None:
        match = Match(posting=posting, seeker=seeker, score=0, reasons=[], is_current=False)
    _record(match, MatchStatus.APPLIED, actor, now)
    match.is_current = False  # from the recommendations to the applications
    match.applied_at = now
    match.interview_at, match.interview_place = None, ""
    match.save()
    return match


@transaction.atomic
def applications_close_unanswered(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Every application gets an answer: those no operator acted on within the deadline
    (settings.APPLICATION_ANSWER_DAYS_DAY_GIG for day gigs, APPLICATION_ANSWER_DAYS otherwise)
    are closed as 「未获回复」 and the seeker told, with similar open postings. Returns how many."""
    now = now or timezone.now()
    rules = (
        (Q(posting__work_type=WorkType.DAY), settings.APPLICATION_ANSWER_DAYS_DAY_GIG),
        (~Q(posting__work_type=WorkType.DAY), settings.APPLICATION_ANSWER_DAYS),
    )
    closed = 0
    for which, days in rules:
        overdue = (
            Match.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("posting__service_point", "seeker")
            .filter(which, status=MatchStatus.APPLIED, applied_at__lte=now - dt.timedelta(days=days))
            .order_by("applied_at", "id")[:limit]
        )
        for match in overdue:
            _record(match, MatchStatus.NO_REPLY, None, now, reason=f"{days} 天无人处理，自动关闭")
            match.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
            match_tell_seeker(match=match, status=MatchStatus.NO_REPLY, days=days, now=now)
            closed += 1
    return closed


def application_deadline(*, match: Match) -> dt.datetime | None:
    """When this open application is closed as 「未获回复」 if nobody acts on it."""
    if match.status != MatchStatus.APPLIED or match.applied_at is None:
        return None
    days = (
        settings.APPLICATION_ANSWER_DAYS_DAY_GIG
        if match.posting.work_type == WorkType.DAY
        else settings.APPLICATION_ANSWER_DAYS
    )
    return match.applied_at + dt.timedelta(days=days)


@transaction.atomic
def match_mark_viewed(*, match: Match, actor: User) -> Match:
    """The seeker opened a recommendation: recommended → viewed; any other status is kept."""
    match = Match.objects.select_for_update().select_related("seeker").get(pk=match.pk)
    if match.seeker.user_id != actor.pk:
        raise PermissionDenied("只能查看自己的推荐")
    # Only a first opening counts; opening an application again must not move it back.
    if match.status == MatchStatus.RECOMMENDED:
        match.status = MatchStatus.VIEWED
        match.status_changed_at = timezone.now()
        match.status_changed_by = actor
        match._history_user = actor  # type: ignore[attr-defined]  # simple_history reads this attribute
        match.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    return match


@transaction.atomic
def seeker_erase(*, registration: SeekerRegistration, actor: User) -> None:
    """Delete my data, as one change: open applications are withdrawn (the operators see why),
    then the registration is erased and the account deleted (``registration_erase``)."""
    for match in Match.objects.select_for_update().filter(seeker=registration, status=MatchStatus.APPLIED):
        match_withdraw(match=match, actor=actor)
    registration_erase(registration=registration, actor=actor)


@transaction.atomic
def match_withdraw(*, match: Match, actor: User) -> Match:
    """The seeker withdraws an application that nobody has acted on yet."""
    match = Match.objects.select_for_update().select_related("seeker").get(pk=match.pk)
    if match.seeker.user_id != actor.pk:
        raise PermissionDenied("只能撤回自己的申请")
    if match.status != MatchStatus.APPLIED:
        raise ValidationError("这个申请已在处理中，不能撤回，请联系服务点。", code="not_withdrawable")
    _record(match, MatchStatus.WITHDRAWN, actor, timezone.now())
    match.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    return match
