from __future__ import annotations

from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "xiangtan_jobs.seed"
    label = "seed"
    verbose_name = "参考数据与演示数据"
