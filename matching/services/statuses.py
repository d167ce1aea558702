"""A match's status: the seeker's application and the operator's pipeline."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from matching.enums import MatchStatus
from matching.models import Match
from xiangtan_jobs.core.enums import SeekerStatus
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, User
from xiangtan_jobs.core.services import registration_erase

# The operator's pipeline: contacted → interview → intention reached → hired, or declined.
# Each step may also go back one step (every change is reversible; history keeps them all).
PIPELINE_NEXT: dict[str, tuple[str, ...]] = {
    MatchStatus.RECOMMENDED: (MatchStatus.CONTACTED, MatchStatus.DECLINED),
    MatchStatus.VIEWED: (MatchStatus.CONTACTED, MatchStatus.DECLINED),
    MatchStatus.APPLIED: (MatchStatus.CONTACTED, MatchStatus.INTERVIEW, MatchStatus.DECLINED),
    MatchStatus.CONTACTED: (MatchStatus.INTERVIEW, MatchStatus.DECLINED),
    MatchStatus.INTERVIEW: (MatchStatus.INTENTION, MatchStatus.DECLINED),
    MatchStatus.INTENTION: (MatchStatus.HIRED, MatchStatus.DECLINED),
    MatchStatus.HIRED: (),
    MatchStatus.DECLINED: (),
    MatchStatus.WITHDRAWN: (),
}


def _previous_status(match: Match) -> str | None:
    """The status this match had before its current one, from its history."""
    older = match.history.exclude(status=match.status).order_by("-history_date").values_list("status", flat=True)
    return older.first()


def match_allowed_statuses(*, match: Match) -> list[str]:
    """Where the operator may move this match next (forward steps, plus back one step)."""
    allowed = list(PIPELINE_NEXT.get(match.status, ()))
    previous = _previous_status(match)
    if previous and previous not in allowed and previous != match.status:
        allowed.append(previous)
    return allowed


@transaction.atomic
def match_set_status(*, match: Match, status: str, actor: User, reason: str = "") -> Match:
    """Move a match along the operator's pipeline, recording who and when."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if status not in match_allowed_statuses(match=match):
        raise ValidationError(
            {"status": f"不能从「{MatchStatus(match.status).label}」改为「{MatchStatus(status).label}」"},
            code="transition",
        )
    match.status = status
    match.status_changed_at = timezone.now()
    match.status_changed_by = actor
    match._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    match._history_user = actor  # type: ignore[attr-defined]
    match.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    return match


@transaction.atomic
def match_apply(*, seeker: SeekerRegistration, posting: JobPosting, actor: User) -> Match:
    """The seeker applies to a posting with one click; once only, and only while it is open."""
    if seeker.user_id != actor.pk:
        raise PermissionDenied("只能用自己的登记申请岗位")
    if seeker.status != SeekerStatus.ACTIVE:
        raise ValidationError("您的求职登记已暂停，请先恢复求职再申请。", code="seeker_inactive")
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    if not posting.is_open:
        raise ValidationError("这个岗位已经停止招聘，不能再申请。", code="posting_closed")
    match = Match.objects.select_for_update().filter(posting=posting, seeker=seeker).first()
    if match is not None and match.status not in (MatchStatus.RECOMMENDED, MatchStatus.VIEWED):
        raise ValidationError("您已经申请过这个岗位了。", code="already_applied")
    if match is None:
        match = Match(posting=posting, seeker=seeker, score=0, reasons=[], is_current=False)
    match.status = MatchStatus.APPLIED
    match.is_current = False  # from the recommendations to the applications
    match.status_changed_at = timezone.now()
    match.status_changed_by = actor
    match._history_user = actor  # type: ignore[attr-defined]
    match.save()
    return match


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
        match._history_user = actor  # type: ignore[attr-defined]
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
    match.status = MatchStatus.WITHDRAWN
    match.status_changed_at = timezone.now()
    match.status_changed_by = actor
    match._history_user = actor  # type: ignore[attr-defined]
    match.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    return match
