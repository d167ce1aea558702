"""Write-side operations of the gig markets: day gigs, gig orders (派工), check-ins, wage
settlement, day insurance and rights cases.

Each service the market gives a person is recorded once more as a `core.ServiceRecord` through
`core.services.service_record_create` (the person-times KPI, docs/kpis.md), inside the same
transaction, so the KPI cannot miss a settlement or count one that was rolled back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangtan_jobs.core.enums import PostingStatus, SeekerStatus, ServiceKind, WorkType
from xiangtan_jobs.core.models import JobPosting, SeekerRegistration, SeekerSkill, ServiceRecord, User
from xiangtan_jobs.core.services import service_record_create

from .enums import (
    HOLDING_STATUSES,
    AssignmentSource,
    AssignmentStatus,
    DayGigStatus,
    MarketFocus,
    PaymentMethod,
    RightsCaseStatus,
    SettlementStatus,
)
from .models import DayGig, GigAssignment, GigMarket, InsuranceEnrolment, RightsCase, WageSettlement

# A self check-in carries this note, so the operators' list tells it from counter entries.
CHECKIN_NOTE = "扫码签到"


def _local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return lo, lo + dt.timedelta(days=1)


# --- check-in: one person-time per seeker, kind, market and day ------------------------------------


@transaction.atomic
def market_check_in(
    *, market: GigMarket, seeker: SeekerRegistration, kind: str, now: dt.datetime | None = None
) -> tuple[ServiceRecord, bool]:
    """A seeker's QR self check-in: a ServiceRecord of ``kind`` at the market, or the one they
    already have today (a repeated scan counts once, as the KPI counts it); returns (record, created)."""
    if kind not in ServiceKind.values:
        raise ValidationError(_("请选择您今天来办什么事。"), code="kind")
    now = now or timezone.now()
    # Two scans at once must not give two records: lock the seeker's row while we look.
    SeekerRegistration.objects.select_for_update().filter(pk=seeker.pk).first()
    lo, hi = _local_day_bounds(timezone.localtime(now).date())
    existing = ServiceRecord.objects.filter(
        service_point_id=market.pk, seeker=seeker, kind=kind, served_at__gte=lo, served_at__lt=hi
    ).first()
    if existing is not None:
        return existing, False
    record = service_record_create(
        service_point=market, kind=kind, actor=None, seeker=seeker, served_at=now, note=CHECKIN_NOTE
    )
    return record, True


# --- day gigs and gig orders ------------------------------------------------------------------------


def day_gig_check(
    *,
    market: GigMarket,
    posting: JobPosting,
    work_date: dt.date,
    starts_at: dt.time,
    headcount: int,
    day_wage: Decimal,
) -> None:
    """The rules a new day gig meets (the admin's form shows them beside its fields)."""
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
) -> DayGig:
    """Put one day of a day-gig posting on the market's board (an employer's order for that day)."""
    day_gig_check(
        market=market, posting=posting, work_date=work_date, starts_at=starts_at, headcount=headcount, day_wage=day_wage
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


def _passes_industry_gate(market: GigMarket, posting: JobPosting, seeker: SeekerRegistration) -> bool:
    """At a nursing-care market a worker holds the certificate of every skill the gig requires
    (the training route comes with the stations; until then the certificate)."""
    if market.focus != MarketFocus.NURSING:
        return True
    required = set(posting.posting_skills.filter(required=True).values_list("skill_id", flat=True))
    if not required:
        return True
    certified = set(
        SeekerSkill.objects.filter(registration=seeker, skill_id__in=required, has_certificate=True).values_list(
            "skill_id", flat=True
        )
    )
    return required <= certified


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
    if not _passes_industry_gate(day_gig.market, day_gig.posting, seeker):
        raise ValidationError(
            {"seeker": _("护理类零工需持有相应的证书（或完成培训）才能派工，请先核验证书。")}, code="certificate"
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
) -> GigAssignment:
    """Assign a worker to a day gig; the headcount is never exceeded, even by two operators at
    once (the day gig's row is locked while its places are counted)."""
    day_gig = DayGig.objects.select_for_update().get(pk=day_gig.pk)
    gig_assign_check(day_gig=day_gig, seeker=seeker, source=source, agreed_wage=agreed_wage)
    wage = agreed_wage if agreed_wage is not None else day_gig.day_wage
    existing = GigAssignment.objects.filter(day_gig=day_gig, seeker=seeker).first()
    if existing is not None:  # released earlier (no-show, cancelled): assigned again
        existing.status, existing.source, existing.agreed_wage = AssignmentStatus.ASSIGNED, source, wage
        existing.assigned_by, existing.finished_at = actor, None
        existing.save()
        return existing
    return GigAssignment.objects.create(
        day_gig=day_gig, seeker=seeker, source=source, agreed_wage=wage, assigned_by=actor
    )


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


# --- wage settlement, rights help, day insurance -----------------------------------------------------


def settlement_open_check(*, assignment: GigAssignment, due_on: dt.date) -> None:
    """The rules of a new settlement (the admin's form shows them beside its fields)."""
    if assignment.status != AssignmentStatus.DONE:
        raise ValidationError({"assignment": _("完工后才能登记工资结算。")})
    if WageSettlement.objects.filter(assignment=assignment).exists():
        raise ValidationError({"assignment": _("这条派工已经有结算记录了。")})
    if due_on < assignment.day_gig.work_date:
        raise ValidationError({"due_on": _("约定支付日期不能早于用工日期。")})


@transaction.atomic
def settlement_open(
    *, assignment: GigAssignment, due_on: dt.date, actor: User, now: dt.datetime | None = None
) -> WageSettlement:
    """Take a worker's wage into the market's settlement service (voluntary): what was agreed,
    by when; one service record (工资结算) for the worker."""
    assignment = GigAssignment.objects.select_for_update().select_related("day_gig__market").get(pk=assignment.pk)
    settlement_open_check(assignment=assignment, due_on=due_on)
    settlement = WageSettlement.objects.create(
        assignment=assignment, agreed_amount=assignment.agreed_wage, due_on=due_on, recorded_by=actor
    )
    service_record_create(
        service_point=assignment.day_gig.market,
        kind=ServiceKind.SETTLEMENT,
        actor=actor,
        seeker=assignment.seeker,
        served_at=now,
        note="登记工资结算",
    )
    return settlement


@transaction.atomic
def settlement_pay(
    *,
    settlement: WageSettlement,
    amount: Decimal,
    method: str,
    actor: User,
    over_reason: str = "",
    now: dt.datetime | None = None,
) -> WageSettlement:
    """Record a payment: never on a settled wage, never beyond what was agreed without a reason."""
    settlement = WageSettlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status == SettlementStatus.PAID:
        raise ValidationError(_("这笔工资已经结清，不能重复支付。"), code="paid")
    if amount <= 0:
        raise ValidationError({"amount": _("支付金额应大于 0 元。")})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("请选择支付方式。")})
    total = settlement.paid_amount + amount
    over_reason = over_reason.strip()
    if total > settlement.agreed_amount and not over_reason:
        raise ValidationError(
            {
                "amount": _("付款合计 %(total)s 元超过约定的 %(agreed)s 元，请写明原因（如加班）。")
                % {"total": total, "agreed": settlement.agreed_amount}
            }
        )
    settlement.paid_amount, settlement.method, settlement.paid_at = total, method, now or timezone.now()
    if over_reason:
        settlement.over_reason = over_reason
    if total >= settlement.agreed_amount:
        settlement.status = SettlementStatus.PAID
    settlement.save()
    return settlement


@transaction.atomic
def settlement_dispute(*, settlement: WageSettlement, note: str, actor: User) -> WageSettlement:
    """The worker and the employer disagree about the wage: say what about."""
    settlement = WageSettlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status == SettlementStatus.PAID:
        raise ValidationError(_("这笔工资已经结清。"), code="paid")
    if not note.strip():
        raise ValidationError({"dispute": _("请写明争议的情况。")})
    settlement.status, settlement.dispute = SettlementStatus.DISPUTED, note.strip()
    settlement.save(update_fields=["status", "dispute", "updated_at"])
    return settlement


def settlement_facts(settlement: WageSettlement) -> str:
    """The facts of an unpaid wage, written once for the rights case (no phone or ID number)."""
    a = settlement.assignment
    gig = a.day_gig
    return _(
        "%(date)s 在「%(title)s」（%(employer)s）做零工，约定工资 %(agreed)s 元，约定 %(due)s 前支付，"
        "已付 %(paid)s 元，尚欠 %(owed)s 元。"
    ) % {
        "date": gig.work_date.isoformat(),
        "title": gig.posting.title,
        "employer": gig.posting.employer.name,
        "agreed": settlement.agreed_amount,
        "due": settlement.due_on.isoformat(),
        "paid": settlement.paid_amount,
        "owed": settlement.outstanding,
    }


@transaction.atomic
def rights_case_open(
    *,
    market: GigMarket,
    seeker: SeekerRegistration,
    facts: str,
    actor: User,
    employer_id: int | None = None,
    settlement: WageSettlement | None = None,
    now: dt.datetime | None = None,
) -> RightsCase:
    """Open a rights consultation (维权咨询) case: one service record (维权咨询) for the seeker."""
    if not facts.strip():
        raise ValidationError({"facts": _("请写明情况。")})
    if settlement is not None:
        settlement = WageSettlement.objects.select_for_update().get(pk=settlement.pk)
        open_case = RightsCase.objects.filter(settlement=settlement).exclude(status=RightsCaseStatus.CLOSED).first()
        if open_case is not None:
            return open_case  # one tap twice: the case already being handled
    case = RightsCase.objects.create(
        market=market,
        seeker=seeker,
        employer_id=employer_id,
        settlement=settlement,
        facts=facts.strip(),
        opened_by=actor,
    )
    service_record_create(
        service_point=market, kind=ServiceKind.RIGHTS, actor=actor, seeker=seeker, served_at=now, note="维权咨询受理"
    )
    return case


def rights_case_from_settlement(*, settlement: WageSettlement, actor: User) -> RightsCase:
    """The follow-up list's one tap: a rights case with the unpaid wage's facts filled in."""
    settlement = WageSettlement.objects.select_related(
        "assignment__day_gig__market", "assignment__day_gig__posting__employer", "assignment__seeker"
    ).get(pk=settlement.pk)
    if settlement.status == SettlementStatus.PAID:
        raise ValidationError(_("这笔工资已经结清，不需要维权。"), code="paid")
    gig = settlement.assignment.day_gig
    return rights_case_open(
        market=gig.market,
        seeker=settlement.assignment.seeker,
        facts=settlement_facts(settlement),
        actor=actor,
        employer_id=gig.posting.employer_id,
        settlement=settlement,
    )


@transaction.atomic
def rights_case_set_status(
    *, case: RightsCase, status: str, actor: User, outcome: str = "", now: dt.datetime | None = None
) -> RightsCase:
    """Move a case on (处理中, 已办结 with its outcome)."""
    case = RightsCase.objects.select_for_update().get(pk=case.pk)
    if status not in RightsCaseStatus.values:
        raise ValidationError({"status": _("状态不对。")})
    if case.status == RightsCaseStatus.CLOSED:
        raise ValidationError(_("这个案件已经办结。"), code="closed")
    if status == RightsCaseStatus.CLOSED and not outcome.strip():
        raise ValidationError({"outcome": _("办结时请写明处理结果。")})
    case.status = status
    if outcome.strip():
        case.outcome = outcome.strip()
    case.closed_at = (now or timezone.now()) if status == RightsCaseStatus.CLOSED else None
    case.save()
    return case


def insurance_enrol_check(*, assignment: GigAssignment, insurer: str, premium: Decimal) -> None:
    """The rules of an enrolment (the admin's form shows them beside its fields)."""
    if assignment.status not in HOLDING_STATUSES:
        raise ValidationError({"assignment": _("只有已派工的零工可以参保。")})
    if InsuranceEnrolment.objects.filter(assignment=assignment).exists():
        raise ValidationError({"assignment": _("这位零工这一天已经参保了。")})
    if not insurer.strip():
        raise ValidationError({"insurer": _("请填写保险公司。")})
    if premium < 0:
        raise ValidationError({"premium": _("保费不能是负数。")})


@transaction.atomic
def insurance_enrol(
    *,
    assignment: GigAssignment,
    insurer: str,
    premium: Decimal,
    actor: User,
    policy_ref: str = "",
    now: dt.datetime | None = None,
) -> InsuranceEnrolment:
    """Enrol a worker in day accident insurance for the gig day: one service record (保险服务)."""
    assignment = GigAssignment.objects.select_for_update().select_related("day_gig__market").get(pk=assignment.pk)
    insurance_enrol_check(assignment=assignment, insurer=insurer, premium=premium)
    enrolment = InsuranceEnrolment.objects.create(
        assignment=assignment,
        insurer=insurer.strip(),
        policy_ref=policy_ref.strip(),
        premium=premium,
        enrolled_by=actor,
    )
    service_record_create(
        service_point=assignment.day_gig.market,
        kind=ServiceKind.INSURANCE,
        actor=actor,
        seeker=assignment.seeker,
        served_at=now,
        note="零工意外险参保",
    )
    return enrolment
