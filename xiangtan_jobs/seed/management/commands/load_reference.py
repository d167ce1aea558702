"""python manage.py load_reference: Xiangtan's areas, skills, named sites and fairs (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xiangtan_jobs.seed.reference import reference_load


class Command(BaseCommand):
    help = "载入湘潭市参考数据（区域、技能、已知服务点和2025春风行动招聘会），可重复执行"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_load()
        self.stdout.write(
            f"参考数据已就绪: 区域 {counts.areas}, 技能类别 {counts.categories}, 技能 {counts.skills}, "
            f"服务点 {counts.service_points}, 招聘会 {counts.fairs}"
        )
