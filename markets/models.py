"""Gig markets (零工市场) and their daily work: day gigs, gig orders, wage settlement, day
insurance and rights cases. Every service given is also a `core.ServiceRecord` (the person-times
KPI), created by the services of this app, never typed twice."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.core.models import Employer, ServicePoint, ServiceRecord

from .enums import (
    AssignmentSource,
    AssignmentStatus,
    DayGigStatus,
    MarketFocus,
    PaymentMethod,
    RightsCaseStatus,
    SettlementStatus,
)


class GigMarket(ServicePoint):
    """A gig market: a service point where day labourers and employers meet."""

    focus = models.CharField("行业特色", max_length=16, choices=MarketFocus.choices, default=MarketFocus.GENERAL)
    amenities = models.JSONField("便民设施", default=list, blank=True)
    landmark = models.CharField("附近地标", max_length=64, blank=True)

    class Meta:
        verbose_name = "零工市场"
        verbose_name_plural = "零工市场"
        constraints = [choices_constraint("focus", MarketFocus, "gigmarket_focus_valid")]


class GigPost(ServicePoint):
    """A gig post (零工驿站): a small point of a gig market in a community or business district
    ("1+3+N": the N), with its own check-in QR; its person-times count at the post itself."""

    market = models.ForeignKey(GigMarket, verbose_name="所属零工市场", on_delete=models.PROTECT, related_name="posts")
    host_name = models.CharField("所在社区/商圈", max_length=64, blank=True)

    class Meta:
        verbose_name = "零工驿站"
        verbose_name_plural = "零工驿站"


class DayGig(TimeStampedModel):
    """One day of work of a day-gig posting at a market (零工订单): date, start time, place, headcount."""

    market = models.ForeignKey(GigMarket, verbose_name="零工市场", on_delete=models.PROTECT, related_name="day_gigs")
    posting = models.ForeignKey(
        "core.JobPosting", verbose_name="岗位", on_delete=models.PROTECT, related_name="day_gigs"
    )
    work_date = models.DateField("用工日期")
    starts_at = models.TimeField("开工时间")
    place = models.CharField("上工地点", max_length=128, help_text="留空则用岗位的工作地址", blank=True)
    headcount = models.PositiveIntegerField("需要人数")
    day_wage = models.DecimalField("日薪(元/天)", max_digits=10, decimal_places=2)
    status = models.CharField("状态", max_length=12, choices=DayGigStatus.choices, default=DayGigStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "零工订单"
        verbose_name_plural = "零工订单"
        ordering = ["work_date", "starts_at", "id"]
        constraints = [
            choices_constraint("status", DayGigStatus, "daygig_status_valid"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="daygig_headcount_ge_1"),
            models.CheckConstraint(condition=Q(day_wage__gt=0), name="daygig_wage_positive"),
            models.UniqueConstraint(fields=["posting", "work_date", "starts_at"], name="daygig_unique_posting_day"),
        ]
        indexes = [models.Index(fields=["market", "work_date"], name="daygig_market_day")]

    def __str__(self) -> str:
        return f"{self.work_date:%m-%d} {self.posting}"


class GigAssignment(TimeStampedModel):
    """A worker assigned to a day gig (派工), then marked done or no-show."""

    day_gig = models.ForeignKey(DayGig, verbose_name="零工订单", on_delete=models.PROTECT, related_name="assignments")
    seeker = models.ForeignKey(
        "core.SeekerRegistration", verbose_name="零工", on_delete=models.PROTECT, related_name="gig_assignments"
    )
    source = models.CharField("来源", max_length=16, choices=AssignmentSource.choices)
    status = models.CharField(
        "状态", max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    agreed_wage = models.DecimalField("约定工资(元)", max_digits=10, decimal_places=2)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="派工人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField("完工/缺勤登记时间", null=True, blank=True)

    class Meta:
        verbose_name = "派工记录"
        verbose_name_plural = "派工记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_constraint("source", AssignmentSource, "gigassignment_source_valid"),
            choices_constraint("status", AssignmentStatus, "gigassignment_status_valid"),
            models.UniqueConstraint(fields=["day_gig", "seeker"], name="gigassignment_unique_worker"),
            models.CheckConstraint(condition=Q(agreed_wage__gt=0), name="gigassignment_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.day_gig} · {self.seeker_id}"


class WageSettlement(TimeStampedModel):
    """The wage of one worker for one gig (voluntary 结算服务): agreed, paid, when and how."""

    assignment = models.OneToOneField(
        GigAssignment, verbose_name="派工记录", on_delete=models.PROTECT, related_name="settlement"
    )
    agreed_amount = models.DecimalField("约定金额(元)", max_digits=10, decimal_places=2)
    due_on = models.DateField("约定支付日期")
    paid_amount = models.DecimalField("已付金额(元)", default=Decimal("0"), max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    method = models.CharField("支付方式", max_length=8, choices=PaymentMethod.choices, blank=True)
    over_reason = models.CharField("超出约定的原因", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=SettlementStatus.choices, default=SettlementStatus.UNPAID)
    dispute = models.CharField("争议情况", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "工资结算"
        verbose_name_plural = "工资结算"
        ordering = ["due_on", "id"]
        constraints = [
            choices_constraint("status", SettlementStatus, "wagesettlement_status_valid"),
            models.CheckConstraint(condition=Q(agreed_amount__gt=0), name="wagesettlement_agreed_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="wagesettlement_paid_ge_0"),
            # More than agreed only with a recorded reason (overtime, a bonus).
            models.CheckConstraint(
                condition=Q(paid_amount__lte=F("agreed_amount")) | ~Q(over_reason=""),
                name="wagesettlement_over_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="wagesettlement_due")]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.agreed_amount}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.agreed_amount - self.paid_amount, Decimal("0"))


class InsuranceEnrolment(TimeStampedModel):
    """A worker enrolled in day accident insurance for one gig day (voluntary 保险服务)."""

    assignment = models.OneToOneField(
        GigAssignment, verbose_name="派工记录", on_delete=models.PROTECT, related_name="insurance"
    )
    insurer = models.CharField("保险公司", max_length=64)
    policy_ref = models.CharField("保单号", max_length=64, blank=True)
    premium = models.DecimalField("保费(元)", max_digits=10, decimal_places=2)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "零工意外险"
        verbose_name_plural = "零工意外险"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(premium__gte=0), name="insurance_premium_ge_0")]

    def __str__(self) -> str:
        return f"{self.insurer} · {self.assignment}"


class RightsCase(TimeStampedModel):
    """A rights consultation (维权咨询) case, e.g. unpaid wages, followed until closed."""

    market = models.ForeignKey(
        GigMarket, verbose_name="零工市场", on_delete=models.PROTECT, related_name="rights_cases"
    )
    seeker = models.ForeignKey(
        "core.SeekerRegistration", verbose_name="求助人", on_delete=models.PROTECT, related_name="rights_cases"
    )
    employer = models.ForeignKey(
        "core.Employer", verbose_name="涉及单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settlement = models.ForeignKey(
        WageSettlement,
        verbose_name="相关结算",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_cases",
    )
    facts = models.TextField("情况说明")
    status = models.CharField("状态", max_length=12, choices=RightsCaseStatus.choices, default=RightsCaseStatus.OPEN)
    outcome = models.CharField("处理结果", max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="受理人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "维权咨询"
        verbose_name_plural = "维权咨询"
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_constraint("status", RightsCaseStatus, "rightscase_status_valid"),
            # One open case per settlement: the follow-up list's one tap must not open a second.
            models.UniqueConstraint(
                fields=["settlement"],
                condition=Q(settlement__isnull=False) & ~Q(status="closed"),
                name="rightscase_one_open_per_settlement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.seeker_id}"


class MarketCheckIn(ServiceRecord):
    """The person-times of a market's day as its operators see them (a view of core.ServiceRecord)."""

    class Meta:
        proxy = True
        verbose_name = "签到与服务记录"
        verbose_name_plural = "签到与服务记录"


class UnpaidWageEmployer(Employer):
    """Employers owing workers overdue wages (欠薪单位), as every market's operators see them
    (a view of core.Employer)."""

    class Meta:
        proxy = True
        verbose_name = "欠薪单位"
        verbose_name_plural = "欠薪单位"
