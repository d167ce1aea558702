"""python manage.py demo_logins: print the address to open and the demo accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiangtan_jobs.seed.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "显示访问地址和演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"]
        self.stdout.write("")
        self.stdout.write(f"  打开 Open:        {url}")
        self.stdout.write(f"  管理后台 Admin:   {url}admin/")
        self.stdout.write(f"  演示账号（密码均为 {DEMO_PASSWORD}） Demo logins, password {DEMO_PASSWORD}:")
        for username, label in DEMO_LOGINS.values():
            self.stdout.write(f"    {username:<14} {label}")
        self.stdout.write("  按 Ctrl-C 停止 (Ctrl-C stops web, worker and beat)")
        self.stdout.write("")
