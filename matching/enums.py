"""Choices of the matching app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    VIEWED = "viewed", _("已查看")
    # An operator asked a recommended seeker to apply; their contact stays hidden until they do.
    INVITED = "invited", _("已邀请")
    APPLIED = "applied", _("已申请")
    CONTACTED = "contacted", _("已联系")
    INTERVIEW = "interview", _("面试中")
    # "Intention reached" is the bureau's KPI 初步达成就业意向.
    INTENTION = "intention", _("达成意向")
    HIRED = "hired", _("已录用")
    DECLINED = "declined", _("未成功")
    WITHDRAWN = "withdrawn", _("已撤回")
    # Every application gets an answer: one nobody acted on in time is closed (settings
    # APPLICATION_ANSWER_DAYS*), the seeker told, and it counts against the site's response figures.
    NO_REPLY = "no_reply", _("未获回复")


# A rematch may replace or drop only matches nobody has acted on yet.
UNTOUCHED_STATUSES = (MatchStatus.RECOMMENDED, MatchStatus.VIEWED)

# The seeker may apply (again) from these: untouched, invited, or after withdrawing / no answer.
APPLYABLE_STATUSES = (
    MatchStatus.RECOMMENDED,
    MatchStatus.VIEWED,
    MatchStatus.INVITED,
    MatchStatus.WITHDRAWN,
    MatchStatus.NO_REPLY,
)
# After applying, the posting's site may see and call the applicant (apply = consent to be
# contacted), until the seeker withdraws.
CONTACT_STATUSES = (
    MatchStatus.APPLIED,
    MatchStatus.CONTACTED,
    MatchStatus.INTERVIEW,
    MatchStatus.INTENTION,
    MatchStatus.HIRED,
    MatchStatus.DECLINED,
    MatchStatus.NO_REPLY,
)
