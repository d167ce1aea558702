"""Choices of the matching app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    VIEWED = "viewed", _("已查看")
    APPLIED = "applied", _("已申请")
    CONTACTED = "contacted", _("已联系")
    INTERVIEW = "interview", _("面试中")
    # "Intention reached" is the bureau's KPI 初步达成就业意向.
    INTENTION = "intention", _("达成意向")
    HIRED = "hired", _("已录用")
    DECLINED = "declined", _("未成功")
    WITHDRAWN = "withdrawn", _("已撤回")


# A rematch may replace or drop only matches nobody has acted on yet.
UNTOUCHED_STATUSES = (MatchStatus.RECOMMENDED, MatchStatus.VIEWED)
