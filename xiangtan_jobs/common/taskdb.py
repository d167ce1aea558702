"""Each task's queries end with the task: a PostgreSQL ``statement_timeout`` of its soft time limit.

Without it, a task stopped by its time limit (or a worker killed) leaves its query running in
PostgreSQL for minutes, holding locks and a core. Set on the worker's connection before every task
(session level: a task uses several transactions; the next task sets its own).
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def task_time_limits(task: object) -> tuple[float, float]:
    """(soft, hard) time limit of a task in seconds: its own, else the app's defaults."""
    conf = current_app.conf
    hard = getattr(task, "time_limit", None) or conf.task_time_limit or 0
    soft = getattr(task, "soft_time_limit", None) or conf.task_soft_time_limit or hard
    return float(soft), float(hard)


def task_statement_timeout(sender: object = None, **_kwargs: object) -> None:
    """Celery's task_prerun signal: no query of this task outlives its soft time limit."""
    if connection.vendor != "postgresql":
        return
    soft, _hard = task_time_limits(sender)
    if not soft:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(soft * 1000)}ms"])
    except DatabaseError as exc:  # the database is away: the task's first query fails and is retried
        logger.warning("Could not set the statement timeout (%s)", type(exc).__name__)
