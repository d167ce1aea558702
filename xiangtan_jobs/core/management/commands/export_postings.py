"""python manage.py export_postings --user NAME [FILE]: postings as JSON Lines (docs/data-exchange.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangtan_jobs.core.api.exchange import postings_export
from xiangtan_jobs.core.management.commands._exchange import acting_user, add_user_argument, opened


class Command(BaseCommand):
    help = "导出岗位为交换文件（JSON Lines，格式见 docs/data-exchange.md），供省、国家平台对接"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("file", nargs="?", default="-", help="输出文件（默认标准输出）")
        parser.add_argument("--drafts", action="store_true", help="也导出草稿、待审核和未通过的岗位")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        try:
            with opened(options["file"], "w", self.stdout) as out:
                count = postings_export(actor=user, out=out, include_drafts=options["drafts"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"已导出 {count} 个岗位")
