"""Choices of the youth-station app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationHost(models.TextChoices):
    COMMUNITY = "community", _("社区")
    BUSINESS = "business", _("商圈")
    CAMPUS = "campus", _("高校")
    PARK = "park", _("产业园区")
