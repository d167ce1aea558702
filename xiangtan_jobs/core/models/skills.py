"""The skill vocabulary shared by postings and seekers."""

from __future__ import annotations

from django.db import models


class SkillCategory(models.Model):
    code = models.CharField("编码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)

    class Meta:
        verbose_name = "技能类别"
        verbose_name_plural = "技能类别"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """An occupation or trade; near-synonyms point at their canonical skill (护工 → 养老护理员)."""

    code = models.CharField("编码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    category = models.ForeignKey(SkillCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="skills")
    aliases = models.JSONField("别名", default=list, blank=True)
    alias_of = models.ForeignKey(
        "self",
        verbose_name="同义于",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="near_synonyms",
        help_text="近义工种指向其标准工种，匹配时按同组计分",
    )
    certificate_required = models.BooleanField("需持证上岗", default=False)
    certificate_name = models.CharField("证书名称", max_length=64, blank=True)
    is_gig = models.BooleanField("常见零工工种", default=False)
    typical_wage_unit = models.CharField("常见计薪单位", max_length=8, blank=True)
    typical_wage_min = models.PositiveIntegerField("常见薪资下限", null=True, blank=True)
    typical_wage_max = models.PositiveIntegerField("常见薪资上限", null=True, blank=True)
    typical_titles = models.JSONField("常见岗位名称", default=list, blank=True)

    class Meta:
        verbose_name = "技能工种"
        verbose_name_plural = "技能工种"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(alias_of=models.F("id")), name="skill_not_alias_of_itself"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def group_id(self) -> int:
        """The canonical skill's id: near-synonyms share their target's group."""
        return self.alias_of_id or self.pk
