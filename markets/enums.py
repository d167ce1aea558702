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
