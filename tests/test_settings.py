"""Settings come from the environment; production refuses to start without a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLEAN = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}


def settings_of(env: dict[str, str], expr: str) -> subprocess.CompletedProcess[str]:
    code = f"import xiangtan_jobs.settings.base as s; print({expr})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**CLEAN, **env}, capture_output=True, text=True, check=False
    )


def test_production_without_secret_key_fails_at_start():
    result = settings_of({"DEBUG": "0"}, "s.DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_secret_key_starts():
    result = settings_of({"DEBUG": "0", "SECRET_KEY": "x" * 50}, "s.DEBUG, s.SESSION_COOKIE_SECURE")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_embedded_default_is_sqlite_and_file_broker():
    result = settings_of({}, "s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER")
    assert result.stdout.split() == ["django_prometheus.db.backends.sqlite3", "filesystem://", "False"], result.stderr


def test_urls_switch_to_postgres_and_redis():
    env = {"DATABASE_URL": "postgres://u@db:5432/x", "REDIS_URL": "redis://r:6379/1", "ALLOWED_HOSTS": "a.cn,b.cn"}
    result = settings_of(env, "s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.ALLOWED_HOSTS")
    assert result.stdout.split() == [
        "django_prometheus.db.backends.postgresql",
        "redis://r:6379/1",
        "['a.cn',",
        "'b.cn']",
    ]


def test_locale_and_time_zone():
    result = settings_of({}, "s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.CELERY_TASK_ACKS_LATE")
    assert result.stdout.split() == ["zh-hans", "Asia/Shanghai", "True", "True"]
