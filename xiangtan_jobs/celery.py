"""The Celery application: configured from Django settings, tasks autodiscovered per app."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangtan_jobs.settings.base")

app = Celery("xiangtan_jobs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
