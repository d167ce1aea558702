from __future__ import annotations

from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "markets"
    verbose_name = "零工市场"

    def ready(self) -> None:
        # Employers flagged for unpaid wages: their new postings wait for a reviewer (issue 12).
        from xiangtan_jobs.core.services import posting_publish_hold_register

        from .selectors import posting_unpaid_hold

        posting_publish_hold_register(posting_unpaid_hold)
