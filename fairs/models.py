"""Job fairs (招聘会): a fair with its days/sessions, exhibitors and seekers' sign-ups."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.common.validators import validate_latitude, validate_longitude

from .enums import BoothResult, FairStatus, InvitationStatus, SignupStatus


class JobFair(TimeStampedModel):
    """One fair of a series (e.g. 2025年春风行动), held on one or more days."""

    series = models.CharField("系列活动", max_length=64, blank=True)
    title = models.CharField("名称", max_length=100)
    organiser = models.CharField("主办单位", max_length=100)
    venue = models.CharField("场馆", max_length=100)
    address = models.CharField("地址", max_length=128)
    area = models.ForeignKey("core.Area", verbose_name="所在区域", on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField("纬度", validators=[validate_latitude])
    lng = models.FloatField("经度", validators=[validate_longitude])
    contact_phone = models.CharField("咨询电话", max_length=32)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    description = models.TextField("介绍", blank=True)
    expected_employers = models.PositiveIntegerField("预计参会单位", default=0)
    expected_posts = models.PositiveIntegerField("预计提供岗位", default=0)
    service_point = models.ForeignKey(
        "core.ServicePoint",
        verbose_name="承办服务点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fairs",
    )
    status = models.CharField("状态", max_length=16, choices=FairStatus.choices, default=FairStatus.PUBLISHED)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "招聘会"
        verbose_name_plural = "招聘会"
        ordering = ["-starts_on", "title"]
        constraints = [
            choices_constraint("status", FairStatus, "jobfair_status_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="jobfair_ends_after_start"),
            models.UniqueConstraint(fields=["title", "starts_on"], name="jobfair_unique_title_date"),
        ]

    def __str__(self) -> str:
        return self.title


class FairSession(models.Model):
    """One day (or half-day) of a fair; sign-ups are per session."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("日期")
    # The announcement gives dates only; times stay empty until the organiser fixes them.
    starts_at = models.TimeField("开始时间", null=True, blank=True)
    ends_at = models.TimeField("结束时间", null=True, blank=True)
    capacity = models.PositiveIntegerField("可报名人数", default=0, help_text="0 表示不限")
    note = models.CharField("说明", max_length=100, blank=True)
    # The day as a recruitment event held (docs/kpis.md: events count only as core.SiteEvent): at
    # the organising site, or for the bureau's own fairs at no site, in the fair's district.
    site_event = models.OneToOneField(
        "core.SiteEvent",
        verbose_name="服务点活动记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fair_session",
    )

    class Meta:
        verbose_name = "招聘会场次"
        verbose_name_plural = "招聘会场次"
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "date"], name="fairsession_one_per_day"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="fairsession_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fair} {self.date}"


class Exhibitor(TimeStampedModel):
    """An employer taking a booth at a fair, with the postings it brings."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="exhibitors")
    employer = models.ForeignKey("core.Employer", verbose_name="参会单位", on_delete=models.PROTECT, related_name="+")
    booth = models.CharField("展位号", max_length=16, blank=True)
    postings = models.ManyToManyField("core.JobPosting", verbose_name="招聘岗位", blank=True, related_name="+")

    class Meta:
        verbose_name = "参会单位"
        verbose_name_plural = "参会单位"
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="exhibitor_unique_employer"),
            models.UniqueConstraint(fields=["fair", "booth"], condition=~Q(booth=""), name="exhibitor_unique_booth"),
        ]

    def __str__(self) -> str:
        return f"{self.fair}: {self.employer}"


# Ticket codes: 12 characters of Crockford's base32 (no I, L, O, U: nothing to misread when typed
# at the door) = 60 random bits; the QR code holds only this code.
TICKET_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TICKET_LENGTH = 12


def ticket_code_new() -> str:
    """A fresh random ticket code (secrets: unguessable)."""
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))


def ticket_code_normalise(text: str) -> str:
    """What a person typed or a scanner read, as a stored code: spaces and dashes dropped, upper
    case, and the letters people confuse with digits read as those digits (Crockford)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


class FairSignup(TimeStampedModel):
    """A seeker's sign-up for a fair session, with the QR ticket code checked at the door."""

    session = models.ForeignKey(FairSession, on_delete=models.CASCADE, related_name="signups")
    seeker = models.ForeignKey("core.SeekerRegistration", on_delete=models.CASCADE, related_name="fair_signups")
    code = models.CharField("入场码", max_length=16, unique=True, default=ticket_code_new, editable=False)
    status = models.CharField("状态", max_length=16, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签到人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The person-time this check-in counts as (docs/kpis.md: `served` counts core.ServiceRecords):
    # at the organising site, or for the bureau's own fairs at no site, in the fair's district.
    service_record = models.OneToOneField(
        "core.ServiceRecord",
        verbose_name="服务记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fair_signup",
    )

    class Meta:
        verbose_name = "招聘会报名"
        verbose_name_plural = "招聘会报名"
        constraints = [
            models.UniqueConstraint(fields=["session", "seeker"], name="fairsignup_once_per_session"),
            choices_constraint("status", SignupStatus, "fairsignup_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="checked_in") | Q(checked_in_at__isnull=False), name="fairsignup_checkin_has_time"
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="fairsignup_session_status")]

    @property
    def code_display(self) -> str:
        """The code in groups of four, as printed on the ticket: 「7K3M-Q9RT-X2PA」."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def __str__(self) -> str:
        return f"{self.session}: {self.seeker_id}"


class FairInvitation(TimeStampedModel):
    """A seeker invited to a fair because their recommendations include its posts (NAV's
    recruitment events do the same); its status moves invited → yes/no → attended → hired, each
    step reversible and logged."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="invitations")
    seeker = models.ForeignKey("core.SeekerRegistration", on_delete=models.CASCADE, related_name="fair_invitations")
    status = models.CharField("状态", max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="邀请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "招聘会邀请"
        verbose_name_plural = "招聘会邀请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "seeker"], name="fairinvitation_once_per_fair"),
            choices_constraint("status", InvitationStatus, "fairinvitation_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.fair}: {self.seeker_id}"


class FairInvitationEvent(models.Model):
    """One change of an invitation's status: the log that makes every step reversible and visible."""

    invitation = models.ForeignKey(FairInvitation, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField("原状态", max_length=16, choices=InvitationStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=InvitationStatus.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "邀请状态记录"
        verbose_name_plural = "邀请状态记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class BoothOutcome(TimeStampedModel):
    """A seeker met at a booth (their ticket scanned or typed there) and what came of it; an
    interview, intention or hire sets the seeker's match with the post (the KPIs count matches)."""

    signup = models.ForeignKey(FairSignup, verbose_name="入场券", on_delete=models.CASCADE, related_name="outcomes")
    exhibitor = models.ForeignKey(Exhibitor, verbose_name="参会单位", on_delete=models.CASCADE, related_name="outcomes")
    posting = models.ForeignKey(
        "core.JobPosting", verbose_name="岗位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField("结果", max_length=16, choices=BoothResult.choices, default=BoothResult.TALKED)
    match = models.ForeignKey(
        "matching.Match", verbose_name="人岗匹配", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The match's status before this record moved it ("" if the record created it): where a
    # taken-back record returns it.
    match_status_before = models.CharField("匹配原状态", max_length=16, blank=True)
    met_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "展位洽谈结果"
        verbose_name_plural = "展位洽谈结果"
        ordering = ["-met_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["signup", "exhibitor"], name="boothoutcome_once_per_booth"),
            choices_constraint("result", BoothResult, "boothoutcome_result_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor_id}: {self.signup_id} {self.result}"
