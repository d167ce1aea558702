"""python manage.py import_registrations --user NAME FILE: registrations from a JSON Lines exchange file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangtan_jobs.core.api.exchange import registrations_import
from xiangtan_jobs.core.management.commands._exchange import acting_user, add_user_argument, opened


class Command(BaseCommand):
    help = "从交换文件导入求职登记：逐行检查，有一行不对就都不导入并按行号列出；按手机号去重；打码的记录不能导入"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("file", help="交换文件（- 为标准输入）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        try:
            with opened(options["file"], "r") as lines:
                report = registrations_import(actor=user, lines=lines, dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"读不了文件：{exc}") from None
        if not report.ok:
            for error in report.errors[:200]:
                self.stderr.write(str(error))
            more = len(report.errors) - 200
            raise CommandError(
                f"有 {len(report.errors)} 处问题，没有导入任何求职登记"
                + (f"（另有 {more} 处未列出）" if more > 0 else "")
            )
        verb = "检查通过，可导入" if options["dry_run"] else "已导入"
        self.stdout.write(f"{verb}：新增 {report.created}，更新 {report.updated}，无变化 {report.unchanged}")
