from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xiangtan_jobs.core"
    label = "core"
    verbose_name = "基础数据"
