"""Wage settlement, rights cases and day insurance: each also one service record of its kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from markets.enums import (
    HOLDING_STATUSES,
    AssignmentStatus,
    PaymentMethod,
    RightsCaseStatus,
    SettlementStatus,
)
from markets.models import GigAssignment, GigMarket, InsuranceEnrolment, RightsCase, WageSettlement
from xiangtan_jobs.core.enums import ServiceKind
from xiangtan_jobs.core.models import AccessLog, SeekerRegistration, User
from xiangtan_jobs.core.services import audit_export, service_record_create

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


def insurance_export_logged(
    *, actor: User, seekers: list[SeekerRegistration], rows: int, what: str, request: HttpRequest | None = None
) -> None:
    """The insurer's list is in the audit log like every export (who, what, how many rows), and each
    worker whose full name, phone and ID number went to the insurer has an access row of their own
    (PIPL accountability: who took whose personal data out of the portal, and when)."""
    audit_export(user=actor, what=what, rows=rows, request=request)
    path = request.path[:200] if request is not None else ""
    AccessLog.objects.bulk_create(
        [AccessLog(user=actor, seeker=s, action="export_insurance", path=path) for s in seekers]
    )
