from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "xiangtan_jobs.common"
    label = "common"
    verbose_name = "通用"
