from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xiangtan_jobs.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from xiangtan_jobs.core.models import JobPosting, PostingSkill
        from xiangtan_jobs.core.selectors import count_generation_bump

        # The public list caches its result counts for a minute; a change drops them at once.
        for model in (JobPosting, PostingSkill):
            post_save.connect(count_generation_bump, sender=model, dispatch_uid=f"count-gen-save-{model.__name__}")
            post_delete.connect(count_generation_bump, sender=model, dispatch_uid=f"count-gen-del-{model.__name__}")
