"""Day gigs on the board and gig orders (派工): the headcount never exceeded, done or no-show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from markets.enums import (
    HOLDING_STATUSES,
    AssignmentSource,
    AssignmentStatus,
    DayGigStatus,
)
from markets.models import DayGig, GigAssignment, GigMarket
from markets.selectors import employer_unpaid_flag, industry_gap
from matching.enums import MatchStatus
from matching.models import Match
from matching.services import match_set_status
from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus, WorkType
from xiangtan_jobs.core.models import InboxMessage, JobPosting, SeekerRegistration, User
from xiangtan_jobs.core.services import sms_queue

# Seekers registered at a counter have no password yet: the SMS says how they log in.
WALK_IN_LOGIN_HINT = "第一次登录请在网站选“用短信验证码登录”，填这个手机号。"

# --- day gigs and gig orders ------------------------------------------------------------------------


def day_gig_check(
    *,
    market: GigMarket,
    posting: JobPosting,
    work_date: dt.date,
    starts_at: dt.time,
    headcount: int,
    day_wage: Decimal,
    unpaid_acknowledged: bool = False,
) -> None:
    """The rules a new day gig meets (the admin's form shows them beside its fields). An employer
    that owes workers overdue wages gets a new order only once the operator has seen the flag
    and says so (``unpaid_acknowledged``): the market should follow the debt up first."""
    errors: dict[str, str] = {}
    if posting.work_type != WorkType.DAY:
        errors["posting"] = _("只有日结零工岗位可以发零工订单。")
    elif posting.service_point_id != market.pk:
        errors["posting"] = _("只能为本市场登记的岗位发零工订单。")
    elif posting.status != PostingStatus.PUBLISHED:
        errors["posting"] = _("岗位还没有发布或已停止招聘，请先发布岗位。")
    if work_date < timezone.localdate():
        errors["work_date"] = _("用工日期不能早于今天。")
    elif posting.expires_on is not None and work_date > posting.expires_on:
        errors["work_date"] = _("用工日期晚于岗位的截止日期（%(day)s）。") % {"day": posting.expires_on.isoformat()}
    if headcount < 1:
        errors["headcount"] = _("需要人数至少为 1。")
    if day_wage <= 0:
        errors["day_wage"] = _("日薪应大于 0 元。")
    if errors:
        raise ValidationError(errors)
    flag = None if unpaid_acknowledged else employer_unpaid_flag(employer_id=posting.employer_id)
    if flag is not None:
        raise ValidationError(
            _(
                "「%(employer)s」还欠 %(n)s 位零工的工资（共 %(owed)s 元，最早应在 %(due)s 付清）。"
                "请先跟进欠薪；确需登记这个订单，请勾选「已知欠薪，仍要登记」。"
            )
            % {
                "employer": posting.employer.name,
                "n": flag.workers,
                "owed": flag.owed,
                "due": flag.oldest_due.isoformat(),
            },
            code="unpaid",
        )
    if DayGig.objects.filter(posting=posting, work_date=work_date, starts_at=starts_at).exists():
        raise ValidationError(_("这个岗位在这一天的这个时间已经有零工订单了。"), code="duplicate")


@transaction.atomic
def day_gig_create(
    *,
    market: GigMarket,
    posting: JobPosting,
    work_date: dt.date,
    starts_at: dt.time,
    headcount: int,
    day_wage: Decimal,
    actor: User | None,
    place: str = "",
    unpaid_acknowledged: bool = False,
) -> DayGig:
    """Put one day of a day-gig posting on the market's board (an employer's order for that day)."""
    day_gig_check(
        market=market,
        posting=posting,
        work_date=work_date,
        starts_at=starts_at,
        headcount=headcount,
        day_wage=day_wage,
        unpaid_acknowledged=unpaid_acknowledged,
    )
    return DayGig.objects.create(
        market=market,
        posting=posting,
        work_date=work_date,
        starts_at=starts_at,
        headcount=headcount,
        day_wage=day_wage,
        place=place,
        created_by=actor,
    )


@transaction.atomic
def day_gig_cancel(*, day_gig: DayGig, actor: User) -> DayGig:
    """Call a day gig off: it leaves the board; its assigned workers are released."""
    day_gig = DayGig.objects.select_for_update().get(pk=day_gig.pk)
    day_gig.status = DayGigStatus.CANCELLED
    day_gig.save(update_fields=["status", "updated_at"])
    day_gig.assignments.filter(status=AssignmentStatus.ASSIGNED).update(
        status=AssignmentStatus.CANCELLED, finished_at=timezone.now()
    )
    return day_gig


def day_gig_left(day_gig: DayGig) -> int:
    """Places still free on a day gig (assigned and done workers hold one)."""
    held = day_gig.assignments.filter(status__in=HOLDING_STATUSES).count()
    return max(day_gig.headcount - held, 0)


def gig_assign_check(
    *, day_gig: DayGig, seeker: SeekerRegistration, source: str, agreed_wage: Decimal | None = None
) -> None:
    """The rules of an assignment (the admin's form shows them; gig_assign checks again under lock)."""
    if source not in AssignmentSource.values:
        raise ValidationError({"source": _("请选择零工的来源。")})
    if agreed_wage is not None and agreed_wage <= 0:
        raise ValidationError({"agreed_wage": _("约定工资应大于 0 元。")})
    if day_gig.status != DayGigStatus.OPEN:
        raise ValidationError(_("这个零工订单已取消，不能再派工。"), code="cancelled")
    if day_gig.work_date < timezone.localdate():
        raise ValidationError(_("这个零工订单的日期已经过去了。"), code="past")
    if seeker.status != SeekerStatus.ACTIVE:
        raise ValidationError({"seeker": _("这位求职者已暂停求职或已就业，不能派工。")})
    gap = industry_gap(posting=day_gig.posting, seeker=seeker, market=day_gig.market)
    if gap is not None:
        raise ValidationError(
            {
                "seeker": _(
                    "护理类零工需持有相应的证书或培训结业才能派工：这位零工缺%(skills)s。请先核验证书或安排培训。"
                )
                % {"skills": "、".join(f"「{m.certificate or m.name}」" for m in gap.missing)}
            },
            code="certificate",
        )
    if GigAssignment.objects.filter(day_gig=day_gig, seeker=seeker, status__in=HOLDING_STATUSES).exists():
        raise ValidationError({"seeker": _("这位零工已经派到这个订单了。")}, code="already_assigned")
    held = GigAssignment.objects.filter(day_gig=day_gig, status__in=HOLDING_STATUSES).count()
    if held >= day_gig.headcount:
        raise ValidationError(_("这个零工订单已经派满 %(n)s 人了。") % {"n": day_gig.headcount}, code="full")


@transaction.atomic
def gig_assign(
    *,
    day_gig: DayGig,
    seeker: SeekerRegistration,
    source: str,
    actor: User,
    agreed_wage: Decimal | None = None,
    now: dt.datetime | None = None,
) -> GigAssignment:
    """Assign a worker to a day gig and tell them (inbox and SMS); the headcount is never
    exceeded, even by two operators at once (the day gig's row is locked while its places are
    counted). An online application it answers moves on to 已联系 (it must not wait for 未获回复)."""
    now = now or timezone.now()
    day_gig = DayGig.objects.select_for_update(of=("self",)).select_related("market", "posting").get(pk=day_gig.pk)
    gig_assign_check(day_gig=day_gig, seeker=seeker, source=source, agreed_wage=agreed_wage)
    wage = agreed_wage if agreed_wage is not None else day_gig.day_wage
    existing = GigAssignment.objects.filter(day_gig=day_gig, seeker=seeker).first()
    if existing is not None:  # released earlier (no-show, cancelled): assigned again
        existing.status, existing.source, existing.agreed_wage = AssignmentStatus.ASSIGNED, source, wage
        existing.assigned_by, existing.finished_at = actor, None
        existing.save()
        assignment = existing
    else:
        assignment = GigAssignment.objects.create(
            day_gig=day_gig, seeker=seeker, source=source, agreed_wage=wage, assigned_by=actor
        )
    answered = _answer_application(day_gig=day_gig, seeker=seeker, actor=actor, now=now)
    gig_assignment_tell(assignment=assignment, answered=answered, now=now)
    return assignment


def _answer_application(*, day_gig: DayGig, seeker: SeekerRegistration, actor: User, now: dt.datetime) -> Match | None:
    """The seeker's waiting application for the gig's posting, moved to 已联系; None if none waits."""
    match = Match.objects.filter(posting_id=day_gig.posting_id, seeker=seeker, status=MatchStatus.APPLIED).first()
    if match is None:
        return None
    return match_set_status(match=match, status=MatchStatus.CONTACTED, actor=actor, now=now)


def gig_assignment_text(assignment: GigAssignment) -> str:
    """What the worker is told of their gig: when, where, the wage, who to call if they cannot go."""
    gig = assignment.day_gig
    market = gig.market
    phone = f"（电话 {market.phone}）" if market.phone else ""
    place = gig.place or gig.posting.address or market.address
    return (
        f"{market.name}给您派了零工「{gig.posting.title}」：{gig.work_date.month}月{gig.work_date.day}日 "
        f"{gig.starts_at:%H:%M} 开工，地点：{place}，约定工资 {assignment.agreed_wage.normalize():f} 元。"
        f"请准时到岗；去不了请尽早告诉{market.name}{phone}。"
    )


def gig_assignment_tell(*, assignment: GigAssignment, answered: Match | None = None, now: dt.datetime) -> None:
    """Tell the worker of their assignment once: an inbox message and one SMS (through the outbox,
    held back during the quiet hours). An application answered in the same step had its
    已联系 SMS queued a moment ago: this text replaces it, so the seeker gets one message."""
    seeker = assignment.seeker
    text = gig_assignment_text(assignment)
    # A worker assigned again after a no-show hears of it again: the key names this assignment.
    key = f"gig-assign:{assignment.pk}:{int(now.timestamp())}"
    link = f"/jobs/{assignment.day_gig.posting_id}/"
    if seeker.user_id:
        InboxMessage.objects.get_or_create(
            user_id=seeker.user_id, dedupe_key=key, defaults={"title": "派工通知", "body": text, "link": link}
        )
    sms = f"【湘潭就业】{text}"
    if not seeker.user_id:
        sms += WALK_IN_LOGIN_HINT
    replaced = None
    if answered is not None:
        replaced = sms_queue(
            phone=seeker.phone,
            text=sms,
            purpose="application",
            dedupe_key=f"match:{answered.pk}",
            per_day=True,
            replace=True,
            now=now,
        )
    if replaced is None:
        sms_queue(phone=seeker.phone, text=sms, purpose="gig_assignment", dedupe_key=key, now=now)


@transaction.atomic
def gig_assignment_finish(
    *, assignment: GigAssignment, status: str, actor: User, now: dt.datetime | None = None
) -> GigAssignment:
    """Mark a worker's gig done (完工) or a no-show (未到岗, which frees the place)."""
    assignment = GigAssignment.objects.select_for_update().get(pk=assignment.pk)
    if status not in (AssignmentStatus.DONE, AssignmentStatus.NO_SHOW):
        raise ValidationError(_("只能登记完工或未到岗。"), code="status")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ValidationError(_("这条派工已经登记过结果了。"), code="finished")
    assignment.status, assignment.finished_at = status, now or timezone.now()
    assignment.save(update_fields=["status", "finished_at", "updated_at"])
    return assignment
