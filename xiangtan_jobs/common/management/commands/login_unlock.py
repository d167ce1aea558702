"""Unlock a login locked after too many wrong passwords (django-axes), by phone/username or address."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiangtan_jobs.common.lockout import login_key


class Command(BaseCommand):
    help = "解除登录锁定：按手机号（或工作人员用户名）或按地址 (unlock a login by phone/username or IP address)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("account", nargs="?", default="", help="手机号或用户名 (phone or username)")
        parser.add_argument("--ip", default="", help="被锁定的地址 (the locked IP address)")

    def handle(self, *args: Any, account: str, ip: str, **options: Any) -> None:
        if not account and not ip:
            raise CommandError("请给出手机号/用户名或 --ip (give a phone/username or --ip)")
        count = 0
        if account:
            count += reset(username=login_key(account))
        if ip:
            count += reset(ip=ip)
        self.stdout.write(f"已解除 {count} 条锁定记录 (removed {count} lockout records)")
