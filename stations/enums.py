"""Choices of the youth-station app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationHost(models.TextChoices):
    COMMUNITY = "community", _("社区")
    BUSINESS = "business", _("商圈")
    CAMPUS = "campus", _("高校")
    PARK = "park", _("产业园区")


class ConsultationTopic(models.TextChoices):
    CAREER = "career", _("职业指导")
    POLICY = "policy", _("政策咨询")
    STARTUP = "startup", _("创业指导")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    DONE = "done", _("已咨询")


class CourseFunding(models.TextChoices):
    FREE = "free", _("免费")
    SUBSIDISED = "subsidised", _("补贴")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("培训合格")


class StationEventKind(models.TextChoices):
    TALK = "talk", _("宣讲会")
    MINI_FAIR = "mini_fair", _("小型招聘会")


class StationEventStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    # A cancelled event was never held: it counts in no KPI (its core.SiteEvent is removed).
    CANCELLED = "cancelled", _("已取消")


class EventSignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("已报名")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("创意阶段")
    PREPARING = "preparing", _("筹备阶段")
    STARTED = "started", _("初创阶段")
    GROWING = "growing", _("成长阶段")


class ProjectStatus(models.TextChoices):
    INCUBATING = "incubating", _("孵化中")
    GRADUATED = "graduated", _("已出孵")
    STOPPED = "stopped", _("已终止")


class ProjectServiceKind(models.TextChoices):
    GUIDANCE = "guidance", _("创业指导")
    VENUE = "venue", _("场地支持")
    POLICY = "policy", _("政策帮办")
    FINANCING = "financing", _("融资对接")
