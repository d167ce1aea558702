"""Job postings and the skills they ask for."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.common.validators import (
    ContactPhoneValidator,
    NameTextValidator,
    validate_latitude,
    validate_longitude,
)
from xiangtan_jobs.core.enums import Channel, PostingStatus, SkillLevel, WageUnit, WorkType

# Hours in a working day and working days in a month (the labour law's 21.75), to compare
# wages paid per hour, day and month.
HOURS_PER_DAY = 8
DAYS_PER_MONTH = 21.75


def daily_equivalent(amount: float | Decimal, unit: str) -> float | None:
    """A wage expressed per day, or None for piece rates (not comparable)."""
    amount = float(amount)
    if unit == WageUnit.HOUR:
        return amount * HOURS_PER_DAY
    if unit == WageUnit.DAY:
        return float(amount)
    if unit == WageUnit.MONTH:
        return amount / DAYS_PER_MONTH
    return None


class JobPostingQuerySet(models.QuerySet["JobPosting"]):
    def public(self) -> JobPostingQuerySet:
        """Postings anyone may see: published and not past their expiry date."""
        return self.filter(status=PostingStatus.PUBLISHED).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
        )


# What a result card of the public list shows (core.selectors.LIST_FIELDS reads the same, with the
# employer's name): the newest-first index carries these columns so the list reads no table pages.
CARD_COLUMNS = (
    "title",
    "employer",
    "area",
    "district",
    "service_point",
    "lat",
    "lng",
    "work_type",
    "wage_min",
    "wage_max",
    "wage_unit",
    "wage_daily",
    "older_ok",
    "disability_ok",
    "mother_flexible",
    "shifts",
)


class JobPosting(TimeStampedModel):
    """One job offer, collected at a service point, with its wage, place, schedule and skills."""

    employer = models.ForeignKey(
        "core.Employer", verbose_name="用人单位", on_delete=models.PROTECT, related_name="postings"
    )
    service_point = models.ForeignKey(
        "core.ServicePoint", verbose_name="发布服务点", on_delete=models.PROTECT, related_name="postings"
    )
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.GIG_MARKET)
    title = models.CharField("岗位名称", max_length=64)
    description = models.TextField("岗位描述", blank=True)
    skills = models.ManyToManyField(
        "core.Skill", through="core.PostingSkill", verbose_name="技能要求", related_name="postings"
    )
    area = models.ForeignKey(
        "core.Area", verbose_name="工作地点(街道/乡镇)", on_delete=models.PROTECT, related_name="+"
    )
    # The top-level area of ``area``, kept on the row so the public list filters on one index.
    district = models.ForeignKey("core.Area", verbose_name="所在区县", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("详细地址", max_length=128, blank=True)
    lat = models.FloatField("纬度", validators=[validate_latitude])
    lng = models.FloatField("经度", validators=[validate_longitude])
    work_type = models.CharField("用工形式", max_length=8, choices=WorkType.choices)
    # Two decimals: piece rates are often below one yuan (0.5 元/件); whole yuan read as 「210」.
    wage_min = models.DecimalField("薪资下限(元)", max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])
    wage_max = models.DecimalField("薪资上限(元)", max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])
    wage_unit = models.CharField("计薪单位", max_length=8, choices=WageUnit.choices)
    # wage_max per day, so wages in different units sort together (None for piece rates).
    wage_daily = models.FloatField("折合日薪", null=True, blank=True, editable=False)
    headcount = models.PositiveIntegerField("招聘人数", default=1)
    shifts = models.JSONField("上班时段", default=list, blank=True, help_text="留空表示时间灵活")
    schedule_note = models.CharField("工作时间说明", max_length=128, blank=True)
    older_ok = models.BooleanField("欢迎大龄劳动者", default=False)
    disability_ok = models.BooleanField("适合残疾人", default=False)
    mother_flexible = models.BooleanField("宝妈灵活时间", default=False)
    contact_name = models.CharField("联系人", max_length=32, blank=True, validators=[NameTextValidator()])
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[ContactPhoneValidator()])
    status = models.CharField("状态", max_length=16, choices=PostingStatus.choices, default=PostingStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    expires_on = models.DateField("截止日期", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    # The site's own number for the posting (from its spreadsheets); re-importing a file
    # updates the posting with the same number instead of adding a copy.
    external_ref = models.CharField("岗位编号", max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Text the keyword search indexes (title, skills and their aliases, employer), kept up to
    # date by the posting services.
    search_text = models.TextField("检索文本", blank=True, editable=False)
    is_demo = models.BooleanField("演示数据", default=False)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = JobPostingQuerySet.as_manager()

    class Meta:
        verbose_name = "招聘岗位"
        verbose_name_plural = "招聘岗位"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(wage_min__lte=models.F("wage_max")), name="posting_wage_min_le_max"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="posting_headcount_ge_1"),
            choices_constraint("status", PostingStatus, "posting_status_valid"),
            choices_constraint("work_type", WorkType, "posting_work_type_valid"),
            choices_constraint("wage_unit", WageUnit, "posting_wage_unit_valid"),
            choices_constraint("channel", Channel, "posting_channel_valid"),
            # A posting that was ever public carries its publish date.
            models.CheckConstraint(
                condition=~Q(status__in=[PostingStatus.PUBLISHED, PostingStatus.FILLED])
                | Q(published_at__isnull=False),
                name="posting_published_has_date",
            ),
            models.UniqueConstraint(
                fields=["service_point", "external_ref"],
                condition=~Q(external_ref=""),
                name="posting_unique_site_external_ref",
            ),
        ]
        indexes = [
            # The public list: newest first, optionally narrowed by one filter. The newest-first
            # index carries every column a result card shows (PostgreSQL INCLUDE; SQLite ignores it),
            # so page 1 and a page 40,000 rows down are both index-only reads of 21 adjacent
            # entries instead of 21 heap pages scattered by age (deep pages were 11 % slower).
            models.Index(
                fields=["-published_at", "-id"],
                include=["expires_on", *CARD_COLUMNS],
                condition=Q(status="published"),
                name="posting_pub_newest_card",
            ),
            models.Index(
                fields=["district", "-published_at", "-id"],
                condition=Q(status="published"),
                name="posting_pub_district",
            ),
            # District and work type together (the commonest pair of filters): the page is a seek,
            # and with expires_on in the index (last, as a key column: SQLite has no INCLUDE) the
            # counts of a district are an index-only scan.
            models.Index(
                fields=["district", "work_type", "-published_at", "-id", "expires_on"],
                condition=Q(status="published"),
                name="posting_pub_district_type",
            ),
            models.Index(
                fields=["area", "-published_at", "-id"], condition=Q(status="published"), name="posting_pub_area"
            ),
            models.Index(
                fields=["work_type", "-published_at", "-id"],
                condition=Q(status="published"),
                name="posting_pub_worktype",
            ),
            models.Index(
                fields=["service_point", "-published_at", "-id"],
                condition=Q(status="published"),
                name="posting_pub_site",
            ),
            models.Index(fields=["-wage_daily", "-id"], condition=Q(status="published"), name="posting_pub_wage"),
            models.Index(fields=["lat", "lng"], condition=Q(status="published"), name="posting_pub_latlng"),
            models.Index(fields=["service_point", "status"], name="posting_site_status"),
            models.Index(fields=["status", "expires_on"], name="posting_status_expiry"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def wage_display(self) -> str:
        """「180–220 元/天」, 「210 元/天」, 「0.5 元/件」 (``core.presenters.wage_text``)."""
        from xiangtan_jobs.core.presenters import wage_text

        return wage_text(self.wage_min, self.wage_max, self.wage_unit)

    @property
    def is_open(self) -> bool:
        """Whether a seeker can still apply today."""
        if self.status != PostingStatus.PUBLISHED:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate()

    def clean(self) -> None:
        from xiangtan_jobs.common.validators import validate_wage_range, validate_xiangtan_coordinates

        if self.wage_min is not None and self.wage_max is not None and self.wage_unit:
            validate_wage_range(self.wage_min, self.wage_max, self.wage_unit)
        if self.lat is not None and self.lng is not None:
            validate_xiangtan_coordinates(self.lat, self.lng)


class PostingSkill(models.Model):
    """A skill a posting asks for: required (with a minimum level) or a plus."""

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="posting_skills")
    skill = models.ForeignKey("core.Skill", verbose_name="技能", on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField("必备", default=True)
    min_level = models.PositiveSmallIntegerField("最低水平", choices=SkillLevel.choices, default=SkillLevel.BEGINNER)

    class Meta:
        verbose_name = "岗位技能要求"
        verbose_name_plural = "岗位技能要求"
        constraints = [
            models.UniqueConstraint(fields=["posting", "skill"], name="postingskill_unique"),
            models.CheckConstraint(condition=Q(min_level__gte=1, min_level__lte=5), name="postingskill_level_1_5"),
        ]
        indexes = [models.Index(fields=["skill", "posting"], name="postingskill_skill")]

    def __str__(self) -> str:
        return f"{self.posting_id}: {self.skill_id}"
