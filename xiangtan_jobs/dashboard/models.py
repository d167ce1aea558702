"""The dashboard's own tables: the KPI roll-up and the operators' assessment (no domain nouns)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from xiangtan_jobs.common.models import TimeStampedModel


class DailyFigure(models.Model):
    """One additive KPI of one local day, for one site × district × key group (docs/kpis.md).

    Built only by `dashboard.services.rollup_refresh`, which replaces whole days: the rows of a day
    are always one build's, so a rerun gives the same table."""

    day = models.DateField("日期")
    kpi = models.CharField("指标", max_length=16)
    site = models.ForeignKey(
        "core.ServicePoint", verbose_name="服务点", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "core.Area", verbose_name="区县", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # "" = everyone; otherwise a KeyGroup code (a seeker with two tags is in both groups' rows).
    group = models.CharField("重点群体", max_length=16, blank=True)
    include_demo = models.BooleanField("含演示数据", default=False)
    value = models.PositiveIntegerField("数值")

    class Meta:
        verbose_name = "指标日汇总"
        verbose_name_plural = "指标日汇总"
        indexes = [models.Index(fields=["include_demo", "group", "day", "kpi"], name="dailyfigure_read")]

    def __str__(self) -> str:
        return f"{self.day} {self.kpi} {self.value}"


class RollupRun(models.Model):
    """One refresh of the roll-up: which days it rebuilt and when it finished."""

    day_from = models.DateField("起始日期")
    day_to = models.DateField("截止日期")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)

    class Meta:
        verbose_name = "汇总刷新"
        verbose_name_plural = "汇总刷新"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.day_from}–{self.day_to}"


class AssessmentScheme(TimeStampedModel):
    """A version of the operators' scoring scheme (运营考核办法): weights, targets and subsidy bands.

    A scheme that has scored a closed month is never edited (the admin makes it read-only); the
    bureau adds a new version instead, so each report names the rules that produced it."""

    version = models.CharField("版本", max_length=16, unique=True)
    name = models.CharField("名称", max_length=64)
    effective_from = models.DateField("起用月份", help_text="这个月及以后的考核使用本版本（取该月 1 日）")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class AssessmentWeight(models.Model):
    """A KPI's weight in a scheme, and the monthly figure that earns the full weight."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="weights")
    # A KPI code of dashboard.kpis, or "completeness" (data completeness, in per cent).
    kpi = models.CharField("指标", max_length=16)
    weight = models.PositiveSmallIntegerField("权重", validators=[MinValueValidator(1), MaxValueValidator(100)])
    target = models.PositiveIntegerField("满分目标值", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "考核指标权重"
        verbose_name_plural = "考核指标权重"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kpi"], name="assessmentweight_unique_kpi"),
            models.CheckConstraint(condition=Q(target__gte=1), name="assessmentweight_target_ge_1"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} × {self.weight}"


class SubsidyBand(models.Model):
    """The monthly operating subsidy (运营补贴) a score from `min_score` up earns."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="bands")
    min_score = models.PositiveSmallIntegerField("最低得分", validators=[MaxValueValidator(100)])
    label = models.CharField("等级", max_length=16)
    subsidy = models.DecimalField("月补贴(元)", max_digits=10, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = "补贴档次"
        verbose_name_plural = "补贴档次"
        ordering = ["-min_score"]
        constraints = [models.UniqueConstraint(fields=["scheme", "min_score"], name="subsidyband_unique_min")]

    def __str__(self) -> str:
        return f"≥{self.min_score} {self.label}"


class AssessmentMonth(TimeStampedModel):
    """A month's assessment, open (figures computed live) or closed (figures frozen below)."""

    month = models.DateField("月份", unique=True, help_text="该月 1 日")
    scheme = models.ForeignKey(AssessmentScheme, verbose_name="考核方案", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("关账时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关账人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "月度考核"
        verbose_name_plural = "月度考核"
        ordering = ["-month"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="assessmentmonth_first_day")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class AssessmentFigure(models.Model):
    """A closed month's frozen figure of one site and KPI (never changed after closing)."""

    assessment = models.ForeignKey(AssessmentMonth, on_delete=models.CASCADE, related_name="figures")
    site = models.ForeignKey("core.ServicePoint", verbose_name="服务点", on_delete=models.PROTECT, related_name="+")
    kpi = models.CharField("指标", max_length=16)
    value = models.DecimalField("数值", max_digits=12, decimal_places=1)

    class Meta:
        verbose_name = "考核冻结数值"
        verbose_name_plural = "考核冻结数值"
        constraints = [models.UniqueConstraint(fields=["assessment", "site", "kpi"], name="assessmentfigure_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.site_id} {self.kpi}={self.value}"


class AssessmentAdjustment(TimeStampedModel):
    """A recorded correction of a closed month's figure: who, when, why and by how much."""

    assessment = models.ForeignKey(AssessmentMonth, on_delete=models.PROTECT, related_name="adjustments")
    site = models.ForeignKey("core.ServicePoint", verbose_name="服务点", on_delete=models.PROTECT, related_name="+")
    kpi = models.CharField("指标", max_length=16)
    delta = models.DecimalField("调整量", max_digits=12, decimal_places=1)
    reason = models.CharField("调整原因", max_length=200)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="调整人", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "考核调整"
        verbose_name_plural = "考核调整"
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="assessmentadjustment_has_reason")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.site_id} {self.kpi} {self.delta:+}"
