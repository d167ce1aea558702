"""Queue Celery work after the current transaction commits, by task name.

Lower layers (core) queue work that upper layers (matching) implement without importing them:
the task's registered name is the contract. Nothing is queued if the transaction rolls back.
"""

from __future__ import annotations

import logging

from celery import current_app, shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args: object, secret: bool = False) -> None:
    """Send ``task_name(*args)`` to the broker once the surrounding transaction has committed.

    ``secret=True`` for arguments that must not reach logs or error reports (a login code): Celery
    then shows "(hidden)" wherever it would print or attach the arguments.
    """
    options = {"argsrepr": "(hidden)", "kwargsrepr": "{}"} if secret else {}

    def send() -> None:
        try:
            current_app.send_task(task_name, args=list(args), **options)
        except (OperationalError, OSError) as exc:
            # The broker is away. The data is committed; the work is derived from it and caught up
            # by the nightly full rematch (matching) or asked for again (a login code), so the
            # person who saved it gets their page, not a 500.
            logger.error("Could not queue %s (%s): broker unavailable", task_name, type(exc).__name__)

    transaction.on_commit(send)


@shared_task(name="common.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Stamp the worker heartbeat that /health/ reads (queued by beat every minute)."""
    from xiangtan_jobs.common.health import heartbeat_stamp

    heartbeat_stamp()
    logger.info("worker heartbeat")


@shared_task(name="common.owed_sweep", soft_time_limit=120, time_limit=150)
def owed_sweep() -> int:
    """Every minute (beat): run the owed work whose message was lost or whose worker died."""
    from xiangtan_jobs.common.owed import owed_sweep as sweep  # owed.py queues through this module

    return sweep()
