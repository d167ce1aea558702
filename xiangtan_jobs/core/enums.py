"""Choices of the shared nouns, with the Chinese labels users see."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UserRole(models.TextChoices):
    SEEKER = "seeker", _("求职者")
    OPERATOR = "operator", _("服务点运营人员")
    BUREAU = "bureau", _("人社局工作人员")


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    ZONE = "zone", _("园区/示范区")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")


TOP_LEVEL_AREA_KINDS = (AreaKind.DISTRICT, AreaKind.COUNTY, AreaKind.COUNTY_CITY, AreaKind.ZONE)


class ServicePointKind(models.TextChoices):
    GIG_MARKET = "gig_market", _("零工市场")
    YOUTH_STATION = "youth_station", _("青年驿站")
    HR_MARKET = "hr_market", _("人力资源市场")
    # A small point of a gig market in a community or business district (零工驿站), attached to it.
    GIG_POST = "gig_post", _("零工驿站")


class ServicePointStatus(models.TextChoices):
    ACTIVE = "active", _("运营中")
    SUSPENDED = "suspended", _("暂停服务")
    CLOSED = "closed", _("已关闭")


class MembershipRole(models.TextChoices):
    OPERATOR = "operator", _("运营人员")
    # Reviewers approve postings of unverified employers before they go public.
    REVIEWER = "reviewer", _("审核员")


class WageUnit(models.TextChoices):
    HOUR = "hour", _("元/小时")
    DAY = "day", _("元/天")
    MONTH = "month", _("元/月")
    PIECE = "piece", _("元/件")


class WorkType(models.TextChoices):
    DAY = "day", _("日结零工")
    PART = "part", _("兼职")
    FULL = "full", _("全职")


class Shift(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("工作日上午")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("工作日下午")
    WEEKDAY_EVENING = "weekday_evening", _("工作日晚上")
    NIGHT = "night", _("夜班")
    WEEKEND = "weekend", _("周末")


# "School hours" is what mothers ask for: the two weekday day-time slots.
SCHOOL_HOURS = (Shift.WEEKDAY_MORNING, Shift.WEEKDAY_AFTERNOON)


class Channel(models.TextChoices):
    GIG_MARKET = "gig_market", _("零工市场")
    YOUTH_STATION = "youth_station", _("青年驿站")
    FAIR = "fair", _("招聘会")
    ONLINE = "online", _("网上发布")


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    # Postings of unverified employers wait for a site reviewer (management measures).
    PENDING_REVIEW = "pending_review", _("待审核")
    PUBLISHED = "published", _("招聘中")
    FILLED = "filled", _("已招满")
    CLOSED = "closed", _("已关闭")
    EXPIRED = "expired", _("已过期")
    REJECTED = "rejected", _("审核未通过")


class KeyGroup(models.TextChoices):
    GRADUATE = "graduate", _("离校未就业高校毕业生")
    RURAL = "rural", _("农村转移劳动力")
    RETURNEE = "returnee", _("返乡务工人员")
    MIGRANT = "migrant", _("外来劳动力")
    MOTHER = "mother", _("宝妈")
    OLDER = "older", _("大龄劳动者")
    DISABLED = "disabled", _("残疾人")


class SeekerStatus(models.TextChoices):
    ACTIVE = "active", _("求职中")
    PAUSED = "paused", _("暂停求职")
    EMPLOYED = "employed", _("已就业")
    # Withdrawn registrations are kept for the statistics but free the person to register again.
    WITHDRAWN = "withdrawn", _("已注销")


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("网上勾选同意")
    PAPER = "paper", _("纸质签字同意")


class ServiceKind(models.TextChoices):
    REGISTRATION = "registration", _("求职登记")
    CONSULTATION = "consultation", _("就业咨询")
    TRAINING = "training", _("技能培训")
    INTERVIEW = "interview", _("陪同面试")
    RIGHTS = "rights", _("维权咨询")
    INSURANCE = "insurance", _("保险服务")
    SETTLEMENT = "settlement", _("工资结算")
    ENTREPRENEURSHIP = "entrepreneurship", _("创业指导")


class EventKind(models.TextChoices):
    RECRUITMENT = "recruitment", _("招聘活动")
    TRAINING = "training", _("培训活动")
    POLICY = "policy", _("政策宣讲")
    OTHER = "other", _("其他活动")


class SkillLevel(models.IntegerChoices):
    BEGINNER = 1, _("入门")
    BASIC = 2, _("会做")
    SKILLED = 3, _("熟练")
    EXPERT = 4, _("精通")
    MASTER = 5, _("师傅级")


class SmsStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    # Claimed by a worker (an atomic update) while the provider is called; a claim older than a few
    # minutes is taken as a dead worker's and put back to pending by the flush.
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    # Replaced before it went out (a later status of the same application, same day) or no longer true.
    CANCELLED = "cancelled", _("已取消")
