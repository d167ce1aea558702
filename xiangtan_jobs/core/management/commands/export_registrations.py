"""python manage.py export_registrations --user NAME [--full] [FILE]: seeker registrations as JSON Lines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangtan_jobs.core.api.exchange import registrations_export
from xiangtan_jobs.core.management.commands._exchange import acting_user, add_user_argument, opened


class Command(BaseCommand):
    help = (
        "导出求职登记为交换文件；姓名、手机号、身份证号打码，除非加 --full 且该账号有权查看完整信息（每条记入访问记录）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("file", nargs="?", default="-", help="输出文件（默认标准输出）")
        parser.add_argument(
            "--full",
            action="store_true",
            help="导出完整姓名、手机号、身份证号（仅超级管理员，或运营人员对自己服务点的登记）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        try:
            with opened(options["file"], "w", self.stdout) as out:
                count = registrations_export(actor=user, out=out, full=options["full"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"已导出 {count} 份求职登记")
