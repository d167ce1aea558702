"""Every task's limits fit together: Redis redelivers a task only after every task's hard time limit
and retry delay (never a second copy of one still running), no query outlives its task's soft
limit (PostgreSQL statement_timeout), and a task that fails for good leaves a dead letter."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery import current_app
from django.db import OperationalError, connection, transaction

from xiangtan_jobs.common.models import DeadLetter
from xiangtan_jobs.common.taskdb import task_statement_timeout, task_time_limits


@pytest.fixture(autouse=True, scope="module")
def _all_tasks_registered():
    from xiangtan_jobs.celery import app

    app.loader.import_default_modules()  # the worker's autodiscovery: every app's tasks module


def project_tasks():
    return {n: t for n, t in current_app.tasks.items() if not n.startswith("celery.")}


def test_the_visibility_timeout_outlasts_every_task_and_retry_delay(settings):
    from xiangtan_jobs.settings import base

    timeout = base.env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    tasks = project_tasks()
    assert {"matching.rematch_chunk", "matching.rematch_finish", "common.owed_sweep"} <= set(tasks)
    for name, task in tasks.items():
        _soft, hard = task_time_limits(task)
        assert 0 < hard < timeout, name
        assert (getattr(task, "retry_backoff_max", 0) or 0) < timeout, name
    if settings.REDIS_URL:
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == timeout


@pytest.mark.django_db
def test_a_query_cannot_outlive_its_task(ref):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    try:
        task_statement_timeout(sender=current_app.tasks["matching.match_posting"])
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "1min"  # its soft time limit
        task_statement_timeout(sender=SimpleNamespace(soft_time_limit=1, time_limit=2))
        with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic(), connection.cursor() as c:
            c.execute("SELECT pg_sleep(3)")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


@pytest.mark.django_db
def test_a_task_that_fails_for_good_leaves_a_dead_letter(ref, monkeypatch):
    def broken():
        raise ValueError("postings table is not what the code expects")

    monkeypatch.setattr("xiangtan_jobs.core.services.posting_expire_overdue", broken)
    result = current_app.tasks["core.expire_postings"].apply()
    assert result.failed()
    letter = DeadLetter.objects.get()
    assert letter.task == "core.expire_postings" and letter.error.startswith("ValueError: postings table")


@pytest.mark.django_db
def test_hidden_arguments_stay_hidden_in_the_dead_letter(ref):
    from xiangtan_jobs.common.owed import task_failed_for_good

    task = current_app.tasks["core.send_login_code"]
    task.push_request(argsrepr="(hidden)", retries=3)
    try:
        task_failed_for_good(sender=task, task_id="t1", exception=RuntimeError("provider down"), args=[1, "123456"])
    finally:
        task.pop_request()
    letter = DeadLetter.objects.get()
    assert letter.args == "(hidden)" and "123456" not in letter.args and letter.retries == 3


def test_arguments_that_are_not_ids_are_never_kept():
    from xiangtan_jobs.common.owed import _ids_only

    assert _ids_only([3, [4, 5]]) == "(3, [4, 5])"
    assert _ids_only([11, "164824"]) == "(hidden)"
