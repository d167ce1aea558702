"""python manage.py import_postings --user NAME FILE: postings from a JSON Lines exchange file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangtan_jobs.core.api.exchange import postings_import
from xiangtan_jobs.core.management.commands._exchange import acting_user, add_user_argument, opened


class Command(BaseCommand):
    help = "从交换文件导入岗位：先逐行检查，有任何一行不对就一行也不导入，并按行号列出问题；按外部编号去重"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("file", help="交换文件（- 为标准输入）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--trust-verified",
            action="store_true",
            help="相信文件里用人单位的「已核验」（来自省平台或本平台自己的导出时）；否则新单位的岗位先送审",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        try:
            with opened(options["file"], "r") as lines:
                report = postings_import(
                    actor=user, lines=lines, dry_run=options["dry_run"], trust_verified=options["trust_verified"]
                )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"读不了文件：{exc}") from None
        if not report.ok:
            for error in report.errors[:200]:
                self.stderr.write(str(error))
            more = len(report.errors) - 200
            raise CommandError(
                f"有 {len(report.errors)} 处问题，没有导入任何岗位" + (f"（另有 {more} 处未列出）" if more > 0 else "")
            )
        verb = "检查通过，可导入" if options["dry_run"] else "已导入"
        self.stdout.write(f"{verb}：新增 {report.created}，更新 {report.updated}，无变化 {report.unchanged}")
