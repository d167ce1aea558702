"""python manage.py seed_demo --postings 50000 --seekers 35000 --seed 1"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiangtan_jobs.seed.demo import demo_seed
from xiangtan_jobs.seed.reference import reference_load


class Command(BaseCommand):
    help = "生成可复现的演示数据（同一 --seed 结果相同）；已有演示数据时不重复生成"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--postings", type=int, default=2000, help="岗位数（默认 2000）")
        parser.add_argument("--seekers", type=int, default=1500, help="求职者数（默认 1500）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="以哪一天为“今天”（YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        reference_load()
        counts = demo_seed(
            postings=options["postings"],
            seekers=options["seekers"],
            seed=options["seed"],
            today=options["today"],
            progress=lambda msg: self.stdout.write(f"  {msg}"),
        )
        if not counts.created:
            self.stdout.write("演示数据已存在，未重复生成。")
            return
        self.stdout.write(
            f"演示数据已生成（{time.monotonic() - started:.1f} 秒）: 服务点 {counts.sites}, "
            f"用人单位 {counts.employers}, "
            f"岗位 {counts.postings}, 求职者 {counts.seekers}, 服务记录 {counts.service_records}, 活动 {counts.events}"
        )
