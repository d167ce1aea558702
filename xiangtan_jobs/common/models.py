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
