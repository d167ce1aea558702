from __future__ import annotations

from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = "招聘会"
