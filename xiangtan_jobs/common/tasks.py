"""Queue Celery work after the current transaction commits, by task name.

Lower layers (core) queue work that upper layers (matching) implement without importing them:
the task's registered name is the contract. Nothing is queued if the transaction rolls back.
"""

from __future__ import annotations

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args: object, secret: bool = False) -> None:
    """Send ``task_name(*args)`` to the broker once the surrounding transaction has committed.

    ``secret=True`` for arguments that must not reach logs or error reports (a login code): Celery
    then shows "(hidden)" wherever it would print or attach the arguments.
    """
    options = {"argsrepr": "(hidden)", "kwargsrepr": "{}"} if secret else {}
    transaction.on_commit(lambda: current_app.send_task(task_name, args=list(args), **options))
