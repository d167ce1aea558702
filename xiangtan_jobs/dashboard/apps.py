from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "xiangtan_jobs.dashboard"
    label = "dashboard"
    verbose_name = "数据看板"
