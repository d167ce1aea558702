"""python manage.py rematch: the full rematch in this process, with a progress bar."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from matching.selectors import matchable_postings
from matching.services import REMATCH_INLINE_CHUNK, rematch_inline


class Command(BaseCommand):
    help = "全量重新匹配（岗位分块计算，显示进度）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=REMATCH_INLINE_CHUNK)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        total = matchable_postings().count()
        with tqdm(total=total, unit="岗位", file=self.stderr, disable=total == 0) as bar:
            run = rematch_inline(progress=bar.update, chunk_size=options["chunk_size"])
        self.stdout.write(
            f"重新匹配完成: 岗位 {total}, 保留配对 {run.pairs_kept}, 用时 {time.monotonic() - started:.1f} 秒"
        )
