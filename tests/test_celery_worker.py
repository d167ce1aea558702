"""A real Celery worker process, on the configured broker, runs a task against the test database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.factories import PostingFactory
from xiangtan_jobs.core.models import JobPosting
from xiangtan_jobs.core.tasks import expire_postings

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    cfg = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{cfg['NAME']}"
    user = cfg["USER"] or "postgres"
    auth = f"{user}:{cfg['PASSWORD']}" if cfg["PASSWORD"] else user
    return f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


def start_worker(queue: str, log_file, **extra_env: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "xiangtan_jobs.settings.test",
        **extra_env,
    }
    cmd = [
        sys.executable, "-m", "celery", "-A", "xiangtan_jobs", "worker", "--queues", queue, "--pool", "solo",
        "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_task_and_writes_database(ref, tmp_path):
    overdue = PostingFactory(expires_on=timezone.localdate() - dt.timedelta(days=1))
    current = PostingFactory(expires_on=timezone.localdate() + dt.timedelta(days=1))
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    log_file = log.open("wb")
    worker = start_worker(queue, log_file)
    try:
        expire_postings.apply_async(queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if JobPosting.objects.get(pk=overdue.pk).status == "expired":
                break
            assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
            time.sleep(0.3)
        else:
            pytest.fail("the worker did not run the task:\n" + log.read_text(errors="replace")[-3000:])
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log_file.close()
    assert JobPosting.objects.get(pk=current.pk).status == "published"
    assert "core.expire_postings" in log.read_text(errors="replace")
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert settings.CELERY_BROKER_URL.startswith(expected)
