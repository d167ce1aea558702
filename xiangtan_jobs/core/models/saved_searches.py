"""A seeker's saved job search (订阅的搜索): new postings that match it arrive once a day."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedSearch(models.Model):
    """One saved search of the public job list, kept as its normalised query string.

    The query string, not a copy of its fields, is what is kept: the job list's own filter set
    (``portal.filters.PostingFilter``) reads it back, so "matches this search" has one definition.
    ``alerted_until`` is the publication time up to which postings were already told (new ones are
    those published after it); ``alerted_on`` the local day of the last message (one a day).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    query = models.CharField("搜索条件", max_length=500)
    label = models.CharField("名称", max_length=200)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    alerted_until = models.DateTimeField("已提醒到")
    alerted_on = models.DateField("最近提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = "订阅的搜索"
        verbose_name_plural = "订阅的搜索"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="saved_search_once")]

    def __str__(self) -> str:
        return self.label
