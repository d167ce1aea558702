"""Choices of the job-fair app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FairStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("已报名")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("已邀请")
    YES = "yes", _("答应参加")
    NO = "no", _("不参加")
    # Attendance needs no answer first: many come without replying.
    ATTENDED = "attended", _("已到场")
    HIRED = "hired", _("已找到工作")


class BoothResult(models.TextChoices):
    """What came of a seeker's visit to a booth, as the fair's staff record it; the last three set
    the seeker's match with the post (docs/kpis.md counts intentions and hires from matches)."""

    TALKED = "talked", _("交谈过")
    INTERVIEW = "interview", _("面试过")
    INTENTION = "intention", _("达成意向")
    HIRED = "hired", _("已录用")
    # Recorded by mistake: the record stays (its history too), the match goes back to what it was.
    REMOVED = "removed", _("记错了，已撤销")
