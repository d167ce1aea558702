"""What the exchange commands share: the acting account, and files or standard streams."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.management.base import CommandError, CommandParser

from xiangtan_jobs.core.models import User


def add_user_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        required=True,
        help="以哪个账号的权限导出/导入（运营人员只含自己的服务点；登记的完整信息按此账号的权限）",
    )


def acting_user(options: dict[str, Any]) -> User:
    user = User.objects.filter(username=options["user"], is_active=True).first()
    if user is None:
        raise CommandError(f"没有这个有效账号：{options['user']}")
    return user


@contextmanager
def opened(path: str, mode: str, standard: Any = None) -> Iterator[IO[str]]:
    """A UTF-8 file, or for "-" the command's own output (or standard input)."""
    if path == "-":
        yield sys.stdin if "r" in mode else standard
        return
    with open(path, mode, encoding="utf-8", newline="\n") as handle:
        yield handle
