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
