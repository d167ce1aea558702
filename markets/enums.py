"""Choices of the gig-market app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketFocus(models.TextChoices):
    GENERAL = "general", _("综合")
    NURSING = "nursing", _("护理行业")
    CONSTRUCTION = "construction", _("建筑装修")
    LOGISTICS = "logistics", _("物流配送")
    HOUSEKEEPING = "housekeeping", _("家政服务")


class DayGigStatus(models.TextChoices):
    OPEN = "open", _("招工中")
    # Called off by the employer or the market: kept (workers may already have been told), not on the board.
    CANCELLED = "cancelled", _("已取消")


class AssignmentSource(models.TextChoices):
    """Where the worker of a gig order came from (the market's own matching figures)."""

    APPLICANT = "applicant", _("网上报名")
    RECOMMENDATION = "recommendation", _("系统推荐")
    WALK_IN = "walk_in", _("现场登记")
    BOARD = "board", _("看板/大屏")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已派工")
    DONE = "done", _("已完工")
    # A no-show frees the place: the market may send someone else the same day.
    NO_SHOW = "no_show", _("未到岗")
    CANCELLED = "cancelled", _("已取消")


# The assignments that hold a place of the gig's headcount.
HOLDING_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.DONE)


class CheckinPurpose(models.TextChoices):
    """What a seeker came to the market for, as the QR check-in asks it (each is a ServiceKind)."""

    WORK = "consultation", _("找工作")
    TRAINING = "training", _("参加技能培训")
    RIGHTS = "rights", _("维权咨询（讨薪等）")
    INSURANCE = "insurance", _("办理零工保险")
    SETTLEMENT = "settlement", _("工资结算")
    ENTREPRENEURSHIP = "entrepreneurship", _("创业指导")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    WECHAT = "wechat", _("微信")
    ALIPAY = "alipay", _("支付宝")
    BANK = "bank", _("银行转账")


class SettlementStatus(models.TextChoices):
    UNPAID = "unpaid", _("未结清")
    PAID = "paid", _("已结清")
    # The worker and the employer disagree; the market's rights desk follows it up.
    DISPUTED = "disputed", _("有争议")


class RightsCaseStatus(models.TextChoices):
    OPEN = "open", _("已受理")
    IN_PROGRESS = "in_progress", _("处理中")
    CLOSED = "closed", _("已办结")


# The skill categories (core reference data, skills.json) an industry market works in: its board
# shows nearby gigs of these only, its page names these skills. A general market has none (all).
FOCUS_CATEGORIES: dict[str, tuple[str, ...]] = {
    MarketFocus.NURSING: ("C02",),  # 养老护理与医护
    MarketFocus.CONSTRUCTION: ("C04", "C05"),  # 建筑施工与装修; 电工焊工与设备维修
    MarketFocus.LOGISTICS: ("C03", "C07"),  # 装卸搬运与仓储物流; 驾驶与运输
    MarketFocus.HOUSEKEEPING: ("C01",),  # 家政服务
}
# Industries whose gigs need the certificate or a completed training (培训合格) of every required
# skill: nursing-care skills are the bottleneck the facts name, and the cared-for are frail.
GATED_FOCUSES = (MarketFocus.NURSING,)
