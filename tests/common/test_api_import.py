"""The API's shared module imports on its own, first, as a Celery worker's start-up checks import it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_system_checks_pass_in_a_fresh_process():
    # Django's checks (run by `celery worker` before anything else) import DRF's settings, which
    # import xiangtan_jobs.common.api; a cycle through rest_framework.views failed the worker's start.
    code = "import django; django.setup(); from django.core.checks import run_checks; print(len(run_checks()))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xiangtan_jobs.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "0"
