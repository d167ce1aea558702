"""Abstract base models and small model helpers shared by every app."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Creation and last-change times on every row."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


def choices_constraint(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``choices``' values."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)


class OwedTask(models.Model):
    """Work owed on one object (a posting's or a seeker's matching), written in the same transaction
    as the change that makes it owed: the row, not the broker's message, is the truth of what is
    left to do (xiangtan_jobs/common/owed.py). The message queued on commit is only a wake-up; a
    lost message, a Redis outage or a killed worker delays the work by minutes (the sweeper), never
    to the next night.
    """

    task = models.CharField("任务", max_length=64)
    object_id = models.BigIntegerField("对象编号")
    # A new value at every change: the worker deletes the row only if it is still the one it read,
    # so a change made while it ran keeps the row (owed again).
    token = models.CharField("版本", max_length=32)
    owed_at = models.DateTimeField("登记时间")
    run_after = models.DateTimeField("最早执行时间")
    claimed_at = models.DateTimeField("开始执行时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("失败次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "待执行任务"
        verbose_name_plural = "待执行任务"
        constraints = [models.UniqueConstraint(fields=["task", "object_id"], name="owed_task_unique")]
        indexes = [models.Index(fields=["run_after"], name="owed_task_due")]

    def __str__(self) -> str:
        return f"{self.task}({self.object_id})"


class DeadLetter(models.Model):
    """A task that kept failing after all its retries: kept for a person to look at (read-only admin).

    Arguments are ids only (the tasks take no personal data); a task queued with hidden arguments
    (a login code) is stored as "(hidden)".
    """

    task = models.CharField("任务", max_length=64)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    args = models.CharField("参数", max_length=300, blank=True)
    error = models.CharField("错误", max_length=500)
    retries = models.PositiveSmallIntegerField("重试次数", default=0)
    failed_at = models.DateTimeField("失败时间")

    class Meta:
        verbose_name = "失败任务"
        verbose_name_plural = "失败任务"
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task} {self.failed_at:%Y-%m-%d %H:%M}"
