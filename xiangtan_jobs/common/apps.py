from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "xiangtan_jobs.common"
    label = "common"
    verbose_name = "通用"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from xiangtan_jobs.common import metrics  # noqa: F401  (connects the Celery task signals)
        from xiangtan_jobs.common.middleware import staff_logged_in

        user_logged_in.connect(staff_logged_in, dispatch_uid="common.staff_logged_in")

        from celery.signals import task_failure, task_prerun

        from xiangtan_jobs.common.owed import task_failed_for_good
        from xiangtan_jobs.common.taskdb import task_statement_timeout

        task_failure.connect(task_failed_for_good, dispatch_uid="common.dead_letter")
        task_prerun.connect(task_statement_timeout, dispatch_uid="common.statement_timeout")
