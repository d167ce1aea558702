"""The Celery application: configured from Django settings, tasks autodiscovered per app."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiangtan_jobs.settings.base")
# The matching engine's numpy work is single-threaded by design; idle BLAS threads would spin
# beside it and double its CPU time. Set before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

app = Celery("xiangtan_jobs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
