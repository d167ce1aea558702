"""Settings come from the environment; production refuses to start without a secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xiangtan_jobs.settings.keys import REPOSITORY_KEYS

ROOT = Path(__file__).resolve().parents[1]
_SET_BY_TESTS = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "FIELD_ENCRYPTION_SALT", "PII_HASH_KEY"}
CLEAN = {k: v for k, v in os.environ.items() if k not in {*_SET_BY_TESTS, "DATABASE_URL", "REDIS_URL"}}


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


def test_nothing_set_makes_random_keys_under_var_once(tmp_path):
    expr = "s.SECRET_KEY, s.SALT_KEY[0]"
    first = settings_of({"VAR_DIR": str(tmp_path)}, expr)
    assert first.returncode == 0, first.stderr
    kept = tmp_path / "secrets.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    stored = json.loads(kept.read_text())
    assert first.stdout.split() == [stored["SECRET_KEY"], stored["FIELD_ENCRYPTION_SALT"]]
    assert len(stored["SECRET_KEY"]) >= 50 and stored["SECRET_KEY"] not in REPOSITORY_KEYS
    # Never a key of the repository: neither the old development key nor a fixed default salt.
    assert stored["FIELD_ENCRYPTION_SALT"] != "xiangtan-jobs-pii-v1"
    # Reused by every later start (the worker and beat read the same file) ...
    assert settings_of({"VAR_DIR": str(tmp_path)}, expr).stdout == first.stdout
    # ... and another machine's var/ gets keys of its own.
    other = settings_of({"VAR_DIR": str(tmp_path / "other")}, expr)
    assert other.returncode == 0, other.stderr
    assert set(other.stdout.split()).isdisjoint(first.stdout.split())


def test_kept_keys_file_is_made_private_again(tmp_path):
    settings_of({"VAR_DIR": str(tmp_path)}, "s.SECRET_KEY")
    (tmp_path / "secrets.json").chmod(0o644)
    assert settings_of({"VAR_DIR": str(tmp_path)}, "s.SECRET_KEY").returncode == 0
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600


def test_a_set_secret_key_is_used_and_nothing_is_written(tmp_path):
    result = settings_of({"VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50}, "s.SECRET_KEY, s.SALT_KEY")
    assert result.stdout.split() == ["k" * 50, "['xiangtan-jobs-pii-v1']"], result.stderr
    assert not (tmp_path / "secrets.json").exists()


@pytest.mark.parametrize("variable", ["SECRET_KEY", "SECRET_KEY_FALLBACKS", "PII_HASH_KEY"])
def test_production_refuses_every_key_of_the_repository(tmp_path, variable):
    for key in REPOSITORY_KEYS:
        env = {"DEBUG": "0", "VAR_DIR": str(tmp_path), "SECRET_KEY": "p" * 50, variable: key}
        result = settings_of(env, "s.DEBUG")
        assert result.returncode != 0
        assert "is a key from the repository" in result.stderr


def test_the_test_key_is_one_production_refuses():
    from django.conf import settings

    assert settings.SECRET_KEY in REPOSITORY_KEYS
