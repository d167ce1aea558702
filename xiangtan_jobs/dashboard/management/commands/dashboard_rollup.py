"""Rebuild the dashboard's KPI roll-up now (the nightly beat task does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from xiangtan_jobs.dashboard.services import rollup_default_days, rollup_refresh


class Command(BaseCommand):
    help = "Rebuild the KPI roll-up (default: last year and this year up to yesterday)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="day_from", type=dt.date.fromisoformat)
        parser.add_argument("--to", dest="day_to", type=dt.date.fromisoformat)

    def handle(self, *args: Any, day_from: dt.date | None = None, day_to: dt.date | None = None, **kw: Any) -> None:
        lo, hi = rollup_default_days()
        run = rollup_refresh(day_from=day_from or lo, day_to=day_to or hi)
        self.stdout.write(f"roll-up {run.day_from}–{run.day_to}: {run.rows} rows")
